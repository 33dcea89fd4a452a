#include "message/contenttype.h"

#include "message/mimeheadercursor.h"

using namespace Qt::StringLiterals;

namespace promail
{

ContentType ContentType::parse(QByteArrayView value)
{
    ContentType contentType;
    MimeHeaderCursor cursor(value);
    cursor.skipCfws();
    const QByteArray type = cursor.token();
    const bool slash = cursor.skip('/');
    cursor.skipCfws();
    const QByteArray subtype = slash ? cursor.token() : QByteArray();
    cursor.skipCfws();
    contentType.valid = !type.isEmpty() && !subtype.isEmpty() && (cursor.atEnd() || cursor.peek() == ';');
    if (contentType.valid)
    {
        contentType.type = type.toLower();
        contentType.subtype = subtype.toLower();
    }
    else
    {
        cursor.skipPast(';'); // whatever the media type was, the parameters may still be good
    }
    contentType.parameters = MimeParameterList::parse(cursor);
    return contentType;
}

ContentType ContentType::defaultFor(bool inDigest)
{
    ContentType contentType;
    contentType.valid = true;
    contentType.type = inDigest ? "message"_ba : "text"_ba;
    contentType.subtype = inDigest ? "rfc822"_ba : "plain"_ba;
    return contentType;
}

} // namespace promail
