#include "protocols/imap/imapsection.h"

#include "message/headerblock.h"
#include "message/mimetree.h"
#include "message/transferencoding.h"

namespace promail
{

QByteArray ImapSectionData::bytes(QByteArrayView message) const
{
    return isBuilt ? built : message.sliced(offset, length).toByteArray();
}

bool ImapSectionData::containsNul(QByteArrayView message) const
{
    return (isBuilt ? QByteArrayView(built) : message.sliced(offset, length)).contains('\0');
}

std::optional<ImapSectionData> ImapSection::binary(QByteArrayView message, const MimeTree& tree,
                                                   const ImapFetchAttribute& attribute)
{
    ImapSectionData data;
    int index = 0;
    if (!attribute.part.isEmpty())
    {
        index = tree.partForSection(attribute.part);
        if (index < 0)
            return data; // no such part: an empty string, as for BODY[]
    }
    const MimePart& part = tree.part(index);
    // RFC 2045 §6.4: a multipart or message entity has no encoding of its own to undo.
    if (part.kind != MimePart::Kind::Leaf || TransferEncoding::isIdentity(part.transferEncoding))
    {
        if (attribute.part.isEmpty())
            data.length = message.size();
        else
        {
            data.offset = part.bodyOffset;
            data.length = part.bodyLength;
        }
    }
    else
    {
        const auto decoded =
            TransferEncoding::decode(message.sliced(part.bodyOffset, part.bodyLength), part.transferEncoding);
        if (!decoded)
            return std::nullopt;
        data.isBuilt = true;
        data.built = attribute.part.isEmpty()
                         ? message.sliced(part.headerOffset, part.headerLength).toByteArray() + *decoded
                         : *decoded;
    }
    applyPartial(data, attribute);
    return data;
}

ImapSectionData ImapSection::extract(QByteArrayView message, const MimeTree& tree, const ImapFetchAttribute& attribute)
{
    using Text = ImapFetchAttribute::Text;
    ImapSectionData data;
    int index = 0;
    if (!attribute.part.isEmpty())
    {
        index = tree.partForSection(attribute.part);
        if (index < 0)
            return data; // no such part: an empty string
    }
    const MimePart& part = tree.part(index);
    // RFC 9051 §6.4.5: HEADER and TEXT after a part number are those of the message inside a
    // message/rfc822 part; MIME is the part's own header.
    int messageIndex = index;
    if (!attribute.part.isEmpty() && attribute.text != Text::All && attribute.text != Text::Mime)
    {
        if (part.kind != MimePart::Kind::Message || part.children.isEmpty())
            return data;
        messageIndex = part.children.first();
    }
    const MimePart& entity = tree.part(messageIndex);
    switch (attribute.text)
    {
    case Text::All:
        if (attribute.part.isEmpty())
            data.length = message.size();
        else
        {
            data.offset = part.bodyOffset;
            data.length = part.bodyLength;
        }
        break;
    case Text::Header:
        data.offset = entity.headerOffset;
        data.length = entity.headerLength;
        break;
    case Text::Text:
        data.offset = entity.bodyOffset;
        data.length = entity.bodyLength;
        break;
    case Text::Mime:
        data.offset = part.headerOffset;
        data.length = part.headerLength;
        break;
    case Text::HeaderFields:
    case Text::HeaderFieldsNot:
        data = headerFields(message, entity.headerOffset, entity.headerLength, attribute);
        break;
    }
    applyPartial(data, attribute);
    return data;
}

ImapSectionData ImapSection::headerFields(QByteArrayView message, qsizetype offset, qsizetype length,
                                          const ImapFetchAttribute& attribute)
{
    const QByteArrayView header = message.sliced(offset, length);
    const HeaderBlock block = HeaderBlock::parse(header);
    const bool wanted = attribute.text == ImapFetchAttribute::Text::HeaderFields;
    ImapSectionData data;
    data.isBuilt = true;
    for (const HeaderField& field : block.fields())
    {
        const bool listed = attribute.fields.contains(field.name.toUpper());
        if (listed != wanted)
            continue;
        QByteArray raw = header.sliced(field.offset, field.length).toByteArray();
        if (!raw.endsWith('\n'))
            raw += "\r\n";
        data.built += raw;
    }
    // RFC 9051 §6.4.5: the subset is followed by the blank line that ends a header.
    data.built += "\r\n";
    return data;
}

void ImapSection::applyPartial(ImapSectionData& data, const ImapFetchAttribute& attribute)
{
    if (attribute.partialOffset < 0)
        return;
    // RFC 9051 §6.4.5: a partial past the end is empty; one that runs over it is cut short.
    const qsizetype start = qsizetype(std::min<qint64>(attribute.partialOffset, data.size()));
    const qsizetype length = qsizetype(std::min<qint64>(attribute.partialLength, data.size() - start));
    if (data.isBuilt)
        data.built = data.built.mid(start, length);
    else
    {
        data.offset += start;
        data.length = length;
    }
}

} // namespace promail
