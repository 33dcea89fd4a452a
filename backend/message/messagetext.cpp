#include "message/messagetext.h"

#include "message/encodedword.h"
#include "message/headerblock.h"
#include "message/mimetree.h"
#include "message/transferencoding.h"

#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace promail
{

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

QByteArray MessageText::decodeTransferEncoding(QByteArrayView body, QByteArrayView encoding)
{
    // An unknown encoding is searched as it stands: the text may still hold the words looked for.
    return TransferEncoding::decode(body, encoding).value_or(body.toByteArray());
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
