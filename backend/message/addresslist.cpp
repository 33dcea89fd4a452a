#include "message/addresslist.h"

#include "message/addresslistparser.h"

namespace promail
{

AddressListParse parseAddressList(QByteArrayView value)
{
    return AddressListParser(value).parse();
}

QString parseMessageId(QByteArrayView value)
{
    // msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS] (RFC 5322 §3.6.4); in References or
    // In-Reply-To the first one counts. Comments may hold '<' and are skipped as a whole.
    qsizetype i = 0;
    int commentDepth = 0;
    while (i < value.size())
    {
        const char c = value[i];
        if (commentDepth > 0)
        {
            if (c == '\\')
                ++i;
            else if (c == '(')
                ++commentDepth;
            else if (c == ')')
                --commentDepth;
            ++i;
            continue;
        }
        if (c == '(')
        {
            commentDepth = 1;
            ++i;
            continue;
        }
        if (c != '<')
        {
            ++i;
            continue;
        }
        const qsizetype close = value.indexOf('>', i + 1);
        if (close < 0)
            return {};
        QByteArray id;
        for (qsizetype j = i + 1; j < close; ++j)
        {
            // Folding white space inside an id (obs-id-left/right, §4.5.4) is not part of it.
            if (value[j] != ' ' && value[j] != '\t' && value[j] != '\r' && value[j] != '\n')
                id += value[j];
        }
        const qsizetype at = id.indexOf('@');
        if (at > 0 && at < id.size() - 1)
            return QString::fromUtf8(id);
        i = close + 1;
    }
    return {};
}

} // namespace promail
