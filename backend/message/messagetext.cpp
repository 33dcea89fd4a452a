#include "message/messagetext.h"

#include "message/encodedword.h"
#include "message/headerblock.h"
#include "message/mimetree.h"

#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}
} // namespace

QString MessageText::headerValue(QByteArrayView value)
{
    return decodeEncodedWords(value);
}

std::optional<QDateTime> MessageText::dateField(QByteArrayView value)
{
    QByteArrayView text = value;
    if (const qsizetype comment = text.indexOf('('); comment >= 0)
        text.truncate(comment);
    const QDateTime date = QDateTime::fromString(QString::fromLatin1(text.trimmed()), Qt::RFC2822Date);
    if (!date.isValid())
        return std::nullopt;
    return date;
}

QString MessageText::header(const HeaderBlock& block)
{
    QString text;
    for (const HeaderField& field : block.fields())
        text += QString::fromUtf8(field.name) + u": "_s + headerValue(field.value) + u'\n';
    return text;
}

QByteArray MessageText::decodeQuotedPrintable(QByteArrayView encoded)
{
    QByteArray bytes;
    bytes.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i)
    {
        const char c = encoded[i];
        if (c != '=')
        {
            bytes.append(c);
            continue;
        }
        // RFC 2045 §6.7 rule 5: "=" at the end of a line (trailing white space allowed) is a soft break.
        qsizetype j = i + 1;
        while (j < encoded.size() && (encoded[j] == ' ' || encoded[j] == '\t'))
            ++j;
        if (j < encoded.size() && (encoded[j] == '\r' || encoded[j] == '\n'))
        {
            if (encoded[j] == '\r' && j + 1 < encoded.size() && encoded[j + 1] == '\n')
                ++j;
            i = j;
            continue;
        }
        if (j == encoded.size())
            break;
        const int high = i + 2 < encoded.size() ? hexValue(encoded[i + 1]) : -1;
        const int low = i + 2 < encoded.size() ? hexValue(encoded[i + 2]) : -1;
        if (high < 0 || low < 0)
        {
            bytes.append(c); // RFC 2045 §6.7 note 1: a robust decoder keeps what is not an octet
            continue;
        }
        bytes.append(char(high * 16 + low));
        i += 2;
    }
    return bytes;
}

QByteArray MessageText::decodeTransferEncoding(QByteArrayView body, QByteArrayView encoding)
{
    if (encoding.compare("base64", Qt::CaseInsensitive) == 0)
        return QByteArray::fromBase64(body.toByteArray()); // RFC 2045 §6.8: characters outside the alphabet are ignored
    if (encoding.compare("quoted-printable", Qt::CaseInsensitive) == 0)
        return decodeQuotedPrintable(body);
    return body.toByteArray();
}

QString MessageText::decodeCharset(QByteArrayView bytes, const QString& charset)
{
    if (!charset.isEmpty())
    {
        QStringDecoder decoder(charset.toLatin1().constData());
        if (decoder.isValid())
            return decoder.decode(bytes);
    }
    return QString::fromUtf8(bytes);
}

QString MessageText::body(QByteArrayView message, const MimeTree& tree)
{
    QString text;
    for (qsizetype i = 0; i < tree.parts().size(); ++i)
    {
        const MimePart& part = tree.parts()[i];
        if (part.kind != MimePart::Kind::Leaf || part.contentType.type != "text")
            continue;
        if (part.bodyOffset > message.size())
            continue;
        const QByteArrayView raw =
            message.sliced(part.bodyOffset, qMin(part.bodyLength, message.size() - part.bodyOffset));
        const QByteArray decoded = decodeTransferEncoding(raw, part.transferEncoding);
        if (!text.isEmpty())
            text += u'\n';
        text += decodeCharset(decoded, part.contentType.parameters.value("charset"));
    }
    return text;
}

} // namespace promail
