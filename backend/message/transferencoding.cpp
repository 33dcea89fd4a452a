#include "message/transferencoding.h"

namespace promail
{

namespace
{
int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool isTransportPadding(char c)
{
    return c == ' ' || c == '\t';
}
} // namespace

int TransferEncoding::hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    // RFC 2045 §6.7 (1): upper case only, but a robust reader accepts lower case too.
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool TransferEncoding::isIdentity(QByteArrayView mechanism)
{
    return mechanism.compare("7bit", Qt::CaseInsensitive) == 0 || mechanism.compare("8bit", Qt::CaseInsensitive) == 0 ||
           mechanism.compare("binary", Qt::CaseInsensitive) == 0;
}

std::optional<QByteArray> TransferEncoding::decode(QByteArrayView body, QByteArrayView mechanism)
{
    if (isIdentity(mechanism))
        return body.toByteArray();
    if (mechanism.compare("base64", Qt::CaseInsensitive) == 0)
        return decodeBase64(body);
    if (mechanism.compare("quoted-printable", Qt::CaseInsensitive) == 0)
        return decodeQuotedPrintable(body);
    return std::nullopt;
}

QByteArray TransferEncoding::decodeBase64(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    quint32 bits = 0;
    int count = 0;
    for (char c : text)
    {
        if (c == '=')
            break; // RFC 2045 §6.8: padding ends the data
        const int value = base64Value(c);
        if (value < 0)
            continue; // line breaks and anything else outside the alphabet
        bits = (bits << 6) | quint32(value);
        if (++count == 4)
        {
            out.append(char(bits >> 16));
            out.append(char(bits >> 8));
            out.append(char(bits));
            bits = 0;
            count = 0;
        }
    }
    // A final quantum of 2 or 3 characters carries 1 or 2 bytes; a lone character carries none.
    if (count == 2)
        out.append(char(bits >> 4));
    else if (count == 3)
    {
        out.append(char(bits >> 10));
        out.append(char(bits >> 2));
    }
    return out;
}

QByteArray TransferEncoding::decodeQuotedPrintable(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    qsizetype lineStart = 0;
    while (lineStart < text.size())
    {
        qsizetype end = text.indexOf('\n', lineStart);
        const bool hasBreak = end >= 0;
        if (!hasBreak)
            end = text.size();
        qsizetype contentEnd = end;
        if (hasBreak && contentEnd > lineStart && text[contentEnd - 1] == '\r')
            --contentEnd;
        // RFC 2045 §6.7 (3): white space at the end of an encoded line is transport padding.
        while (contentEnd > lineStart && isTransportPadding(text[contentEnd - 1]))
            --contentEnd;
        bool softBreak = false;
        for (qsizetype i = lineStart; i < contentEnd; ++i)
        {
            const char c = text[i];
            if (c != '=')
            {
                out.append(c);
                continue;
            }
            if (i + 1 == contentEnd)
            {
                softBreak = true; // RFC 2045 §6.7 (5): "=" at the end of a line joins it to the next
                break;
            }
            const int high = i + 2 < contentEnd ? TransferEncoding::hexDigit(text[i + 1]) : -1;
            const int low = i + 2 < contentEnd ? TransferEncoding::hexDigit(text[i + 2]) : -1;
            if (high < 0 || low < 0)
            {
                out.append(c); // not an escape: kept literally
                continue;
            }
            out.append(char(high * 16 + low));
            i += 2;
        }
        if (hasBreak && !softBreak)
            out.append("\r\n");
        lineStart = end + 1;
    }
    return out;
}

} // namespace promail
