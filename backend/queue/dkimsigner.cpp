#include "queue/dkimsigner.h"

#include <QFile>
#include <QHash>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr qsizetype kLineWidth = 78; // RFC 5322 §2.1.1
constexpr qint64 kChunkSize = 64 * 1024;

// RFC 6376 §5.4.1: the fields that say what the message is and to whom; List-* fields when a
// list signs (RFC 2369, RFC 2919). Received and Return-Path change in transit and are left out.
const QList<QByteArray> kSignedFields{
    "to"_ba,
    "cc"_ba,
    "subject"_ba,
    "date"_ba,
    "message-id"_ba,
    "reply-to"_ba,
    "in-reply-to"_ba,
    "references"_ba,
    "mime-version"_ba,
    "content-type"_ba,
    "content-transfer-encoding"_ba,
};

bool isListField(const QByteArray& lowerName)
{
    return lowerName.startsWith("list-");
}

// Appends `tag` to the field being built, starting a folded line ("\r\n ") when it would not fit;
// `spaced` separates it from the previous tag by a space on the same line.
void appendTag(QByteArray& field, qsizetype& column, const QByteArray& tag, bool spaced = true)
{
    if (column + 1 + tag.size() > kLineWidth)
    {
        field += "\r\n ";
        column = 1;
    }
    else if (spaced)
    {
        field += ' ';
        ++column;
    }
    field += tag;
    column += tag.size();
}
} // namespace

QList<QByteArray> DkimSigner::signedFieldNames(const HeaderBlock& header)
{
    QHash<QByteArray, int> counts;
    QList<QByteArray> listFields;
    for (const HeaderField& field : header.fields())
    {
        const QByteArray name = field.name.toLower();
        if (isListField(name) && !counts.contains(name))
            listFields.append(name);
        ++counts[name];
    }
    QList<QByteArray> names;
    for (int i = 0; i <= counts.value("from"_ba); ++i)
        names.append("from"_ba); // over-signed: one more than there are
    for (const QByteArray& name : kSignedFields + listFields)
    {
        for (int i = 0; i < counts.value(name); ++i)
            names.append(name);
    }
    return names;
}

QByteArray DkimSigner::headerHashInput(DkimCanonicalization mode, const QByteArray& headerBytes,
                                       const HeaderBlock& header, const QList<QByteArray>& names,
                                       const QByteArray& signatureField)
{
    QHash<QByteArray, qsizetype> used; // per name, how many instances from the bottom are taken
    QByteArray input;
    const QList<HeaderField>& fields = header.fields();
    for (const QByteArray& name : names)
    {
        qsizetype skip = used.value(name.toLower());
        for (qsizetype i = fields.size() - 1; i >= 0; --i)
        {
            if (fields.at(i).name.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (skip-- > 0)
                continue;
            input += canonicalHeaderField(mode,
                                          QByteArrayView(headerBytes).sliced(fields.at(i).offset, fields.at(i).length));
            break;
        }
        ++used[name.toLower()];
    }
    QByteArray signature = canonicalHeaderField(mode, signatureField);
    signature.chop(2); // §3.7: the signature field enters without its final CRLF
    return input + signature;
}

Result<QByteArray> DkimSigner::signatureField(const DkimSigningKey& key, const QByteArray& headerBytes,
                                              const HeaderBlock& header, const QByteArray& bodyHash, qint64 timestamp)
{
    const QList<QByteArray> names = signedFieldNames(header);
    const QByteArray algorithm = key.key.algorithm() == DkimAlgorithm::Rsa ? "rsa-sha256"_ba : "ed25519-sha256"_ba;
    QByteArray field = "DKIM-Signature:"_ba;
    qsizetype column = field.size();
    const QList<QByteArray> tags{
        "v=1;"_ba,
        "a=" + algorithm + ';',
        "c=relaxed/relaxed;"_ba,
        "d=" + key.domain.toLatin1() + ';',
        "s=" + key.selector.toLatin1() + ';',
        "t=" + QByteArray::number(timestamp) + ';',
    };
    for (const QByteArray& tag : tags)
        appendTag(field, column, tag);
    // h= is folded between names (FWS is allowed around the colons, RFC 6376 §3.5).
    for (qsizetype i = 0; i < names.size(); ++i)
        appendTag(field, column, (i == 0 ? "h="_ba : QByteArray()) + names.at(i) + (i + 1 < names.size() ? ":" : ";"),
                  i == 0);
    appendTag(field, column, "bh=" + bodyHash.toBase64() + ';');
    appendTag(field, column, "b="_ba);

    const QByteArray input = headerHashInput(DkimCanonicalization::Relaxed, headerBytes, header, names, field);
    const auto signature = key.key.sign(input);
    if (!signature)
        return signature.error();
    // b= goes on its own lines; relaxed canonicalization makes that folding invisible.
    const QByteArray b = signature->toBase64();
    for (qsizetype at = 0; at < b.size();)
    {
        const qsizetype room = std::max<qsizetype>(kLineWidth - column, 0);
        if (room == 0)
        {
            field += "\r\n ";
            column = 1;
            continue;
        }
        const QByteArray part = b.mid(at, room);
        field += part;
        column += part.size();
        at += part.size();
    }
    field += "\r\n";
    return field;
}

Result<QByteArray> DkimSigner::sign(const DkimSigningKey& key, const QByteArray& message, qint64 timestamp)
{
    const HeaderBlock header = HeaderBlock::parse(message);
    if (!header.isValid())
        return Error::invalid(u"message"_s, u"the message's header section is malformed or too large"_s);
    DkimBodyHasher hasher(DkimCanonicalization::Relaxed);
    if (header.isComplete())
        hasher.add(QByteArrayView(message).sliced(header.bodyOffset()));
    const QByteArray headerBytes = header.isComplete() ? message.left(header.bodyOffset()) : message;
    return signatureField(key, headerBytes, header, hasher.result(), timestamp);
}

Result<QByteArray> DkimSigner::bodyHashOfFile(const QString& path, qint64 offset)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return Error{ErrorCode::Unavailable, u"cannot read %1: %2"_s.arg(path, file.errorString()), {}};
    DkimBodyHasher hasher(DkimCanonicalization::Relaxed);
    QByteArray chunk;
    while (!(chunk = file.read(kChunkSize)).isEmpty())
        hasher.add(chunk);
    if (file.error() != QFileDevice::NoError)
        return Error{ErrorCode::Unavailable, u"cannot read %1: %2"_s.arg(path, file.errorString()), {}};
    return hasher.result();
}

} // namespace promail
