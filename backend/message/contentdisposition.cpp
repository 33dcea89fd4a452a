#include "message/contentdisposition.h"

#include "message/mimeheadercursor.h"

namespace promail
{

std::optional<ContentDisposition> ContentDisposition::parse(QByteArrayView value)
{
    MimeHeaderCursor cursor(value);
    cursor.skipCfws();
    const QByteArray type = cursor.token();
    cursor.skipCfws();
    if (type.isEmpty() || !(cursor.atEnd() || cursor.peek() == ';'))
        return std::nullopt;
    ContentDisposition disposition;
    disposition.type = type.toLower();
    disposition.parameters = MimeParameterList::parse(cursor);
    return disposition;
}

} // namespace promail
