#include "message/mimetree.h"

namespace promail
{

int MimeTree::partForSection(const QList<int>& section) const
{
    if (section.isEmpty() || m_parts.isEmpty())
        return -1;
    // `numbering` is the entity whose numbers the next component counts: a multipart's body
    // parts, or for a message (top level or embedded) its body parts or, single-part, its body.
    int numbering = 0;
    int found = -1;
    for (qsizetype i = 0; i < section.size(); ++i)
    {
        const int number = section[i];
        const MimePart& container = m_parts[numbering];
        if (container.kind == MimePart::Kind::Multipart)
        {
            if (number < 1 || number > container.children.size())
                return -1;
            found = container.children[number - 1];
        }
        else if (number == 1 && (numbering == 0 || m_parts[container.parent].kind == MimePart::Kind::Message))
        {
            found = numbering;
        }
        else
        {
            return -1;
        }

        if (i + 1 == section.size())
            break;
        const MimePart& next = m_parts[found];
        if (next.kind == MimePart::Kind::Message)
            numbering = next.children.first();
        else if (next.kind == MimePart::Kind::Multipart && found != numbering)
            numbering = found;
        else
            return -1;
    }
    return found;
}

} // namespace promail
