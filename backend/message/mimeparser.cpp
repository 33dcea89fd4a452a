#include "message/mimeparser.h"

#include "message/headerblock.h"
#include "message/mimeheadercursor.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

constexpr int kMaxLanguages = 100;

bool isField(const HeaderField& field, QByteArrayView name)
{
    return QByteArrayView(field.name).compare(name, Qt::CaseInsensitive) == 0;
}

// An unstructured MIME field (Content-ID, -Description, -MD5, -Location) as written; an empty
// one counts as absent.
std::optional<QByteArray> trimmedValue(const QByteArray& value)
{
    QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    return trimmed;
}

// RFC 2045 §6.1 mechanism: one token; anything else is unreadable and, as for no field at all,
// means 7bit.
QByteArray transferEncoding(QByteArrayView value)
{
    MimeHeaderCursor cursor(value);
    cursor.skipCfws();
    const QByteArray token = cursor.token();
    cursor.skipCfws();
    if (token.isEmpty() || !cursor.atEnd())
        return "7bit"_ba;
    return token.toLower();
}

// RFC 3282 §2 Language-List: tags separated by commas, with CFWS around them.
QList<QByteArray> languages(QByteArrayView value)
{
    QList<QByteArray> tags;
    MimeHeaderCursor cursor(value);
    while (tags.size() < kMaxLanguages)
    {
        cursor.skipCfws();
        if (cursor.atEnd())
            break;
        if (cursor.skip(','))
            continue;
        const QByteArray tag = cursor.token();
        if (tag.isEmpty())
            cursor.skipPast(',');
        else
            tags.append(tag);
    }
    return tags;
}

} // namespace

MimeTree MimeParser::parse(QByteArrayView message)
{
    MimeParser parser(message);
    parser.addPart(0, message.size(), -1, 0, false);
    return std::move(parser.m_tree);
}

int MimeParser::addPart(qsizetype start, qsizetype end, int parent, int depth, bool inDigest)
{
    const HeaderBlock header = HeaderBlock::parse(m_message.sliced(start, end - start));
    MimePart part;
    part.headerOffset = start;
    part.headerLength = header.bodyOffset();
    part.bodyOffset = start + header.bodyOffset();
    part.bodyLength = end - part.bodyOffset;
    part.lines = m_message.sliced(part.bodyOffset, part.bodyLength).count('\n');
    part.parent = parent;
    part.depth = depth;
    readFields(header, part, inDigest);

    const int index = static_cast<int>(m_tree.m_parts.size());
    m_tree.m_parts.append(std::move(part));
    // m_tree.m_parts grows below: only indexes stay valid across these calls.
    if (m_tree.m_parts[index].contentType.isMultipart())
        splitMultipart(index);
    else if (m_tree.m_parts[index].contentType.isEmbeddedMessage())
        openMessage(index);
    return index;
}

void MimeParser::readFields(const HeaderBlock& header, MimePart& part, bool inDigest)
{
    bool typeSeen = false;
    bool encodingSeen = false;
    bool languageSeen = false;
    part.contentType = ContentType::defaultFor(inDigest);
    part.transferEncoding = "7bit"_ba;
    // The first field of each name counts, as for the RFC 5322 fields.
    for (const HeaderField& field : header.fields())
    {
        if (field.name.size() < 8 || QByteArrayView(field.name).first(8).compare("Content-", Qt::CaseInsensitive) != 0)
            continue;
        if (isField(field, "Content-Type") && !typeSeen)
        {
            typeSeen = true;
            ContentType contentType = ContentType::parse(field.value);
            if (contentType.valid)
            {
                part.contentType = std::move(contentType);
            }
            else
            {
                // RFC 2045 §5.2: a broken Content-Type means text/plain; its charset may still help.
                part.contentType = ContentType::defaultFor(false);
                part.contentType.parameters = std::move(contentType.parameters);
            }
        }
        else if (isField(field, "Content-Transfer-Encoding") && !encodingSeen)
        {
            encodingSeen = true;
            part.transferEncoding = transferEncoding(field.value);
        }
        else if (isField(field, "Content-ID") && !part.contentId)
        {
            part.contentId = trimmedValue(field.value);
        }
        else if (isField(field, "Content-Description") && !part.description)
        {
            part.description = trimmedValue(field.value);
        }
        else if (isField(field, "Content-Disposition") && !part.disposition)
        {
            part.disposition = ContentDisposition::parse(field.value);
        }
        else if (isField(field, "Content-Language") && !languageSeen)
        {
            languageSeen = true;
            part.languages = languages(field.value);
        }
        else if (isField(field, "Content-Location") && !part.location)
        {
            part.location = trimmedValue(field.value);
        }
        else if (isField(field, "Content-MD5") && !part.md5)
        {
            part.md5 = trimmedValue(field.value);
        }
    }
}

// RFC 2046 §5.1.1: body parts sit between "--boundary" lines; the CRLF before each delimiter
// line belongs to the delimiter, what comes before the first (preamble) and after the closing
// "--boundary--" (epilogue) belongs to no part. Without a closing delimiter the last part runs
// to the end of the multipart's body.
void MimeParser::splitMultipart(int index)
{
    const MimePart& part = m_tree.m_parts[index];
    const qsizetype bodyStart = part.bodyOffset;
    const qsizetype bodyEnd = part.end();
    const int depth = part.depth;
    const bool digest = part.contentType.subtype == "digest";
    const QByteArray boundary = part.contentType.parameters.rawValue("boundary");

    if (depth >= kMaxDepth)
    {
        m_tree.m_truncated = true;
        degrade(index, "text"_ba, "plain"_ba);
        return;
    }
    if (boundary.isEmpty() || boundary.size() > kMaxBoundary || boundary.contains('\r') || boundary.contains('\n'))
    {
        degrade(index, "text"_ba, "plain"_ba);
        return;
    }
    const QList<Delimiter> delimiters = findDelimiters(bodyStart, bodyEnd, boundary);
    if (delimiters.isEmpty() || delimiters.first().closing)
    {
        degrade(index, "text"_ba, "plain"_ba);
        return;
    }

    QList<int> children;
    for (qsizetype i = 0; i < delimiters.size() && !delimiters[i].closing; ++i)
    {
        const qsizetype start = delimiters[i].next;
        qsizetype stop = bodyEnd;
        if (i + 1 < delimiters.size())
        {
            stop = delimiters[i + 1].lineStart;
            if (stop > start && m_message[stop - 1] == '\n')
                --stop;
            if (stop > start && m_message[stop - 1] == '\r')
                --stop;
        }
        if (!hasRoom())
            break;
        children.append(addPart(start, qMax(start, stop), index, depth + 1, digest));
    }
    if (children.isEmpty())
    {
        degrade(index, "text"_ba, "plain"_ba);
        return;
    }
    m_tree.m_parts[index].kind = MimePart::Kind::Multipart;
    m_tree.m_parts[index].children = std::move(children);
}

QList<MimeParser::Delimiter> MimeParser::findDelimiters(qsizetype start, qsizetype end,
                                                        const QByteArray& boundary) const
{
    QList<Delimiter> delimiters;
    const QByteArray dashBoundary = "--"_ba + boundary;
    const QByteArrayView body = m_message.sliced(start, end - start);
    qsizetype from = 0;
    // More delimiters than parts could ever be made of them are not looked for.
    while (delimiters.size() <= kMaxParts)
    {
        const qsizetype hit = body.indexOf(dashBoundary, from);
        if (hit < 0)
            break;
        from = hit + 1;
        if (hit > 0 && body[hit - 1] != '\n')
            continue; // only at the start of a line
        const qsizetype after = hit + dashBoundary.size();
        const qsizetype lf = body.indexOf('\n', after);
        const qsizetype lineEnd = lf < 0 ? body.size() : lf;
        const QByteArrayView rest = body.sliced(after, lineEnd - after);
        // transport-padding (LWSP) may follow a delimiter; "--" makes it the closing one, and
        // whatever follows that is taken leniently as padding too.
        const bool closing = rest.startsWith("--");
        if (!closing && !rest.trimmed().isEmpty())
            continue; // "--boundaryX": another boundary that starts the same, or text
        const qsizetype next = lf < 0 ? body.size() : lf + 1;
        delimiters.append({start + hit, start + next, closing});
        if (closing)
            break;
        from = next;
    }
    return delimiters;
}

// RFC 2046 §5.2.1: message/rfc822 is 7bit, 8bit or binary; an encoded one is shown as the
// opaque data it then is rather than guessed at.
void MimeParser::openMessage(int index)
{
    const MimePart& part = m_tree.m_parts[index];
    if (part.transferEncoding == "base64" || part.transferEncoding == "quoted-printable")
    {
        degrade(index, "application"_ba, "octet-stream"_ba);
        return;
    }
    if (part.depth >= kMaxDepth || !hasRoom())
    {
        m_tree.m_truncated = true;
        degrade(index, "text"_ba, "plain"_ba);
        return;
    }
    const qsizetype start = part.bodyOffset;
    const qsizetype end = part.end();
    const int depth = part.depth;
    const int child = addPart(start, end, index, depth + 1, false);
    m_tree.m_parts[index].kind = MimePart::Kind::Message;
    m_tree.m_parts[index].children = {child};
}

void MimeParser::degrade(int index, const QByteArray& type, const QByteArray& subtype)
{
    MimePart& part = m_tree.m_parts[index];
    part.degraded = true;
    part.kind = MimePart::Kind::Leaf;
    part.contentType = ContentType();
    part.contentType.valid = true;
    part.contentType.type = type;
    part.contentType.subtype = subtype;
}

bool MimeParser::hasRoom()
{
    if (m_tree.m_parts.size() < kMaxParts)
        return true;
    m_tree.m_truncated = true;
    return false;
}

} // namespace promail
