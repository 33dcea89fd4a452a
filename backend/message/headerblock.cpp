#include "message/headerblock.h"

namespace promail
{

namespace
{

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// RFC 5322 §2.2 / §3.6.8 ftext: printable US-ASCII except colon.
bool isFieldNameChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 33 && u <= 126 && c != ':';
}

// One physical line: [start, contentEnd) is its text, next is where the following line starts.
struct Line
{
    qsizetype contentEnd;
    qsizetype next;
    bool terminated; // by LF or CRLF
};

// Lines end in CRLF or, tolerated, a bare LF; a last line may have no end at all.
Line lineAt(QByteArrayView message, qsizetype start)
{
    const qsizetype lf = message.indexOf('\n', start);
    if (lf < 0)
    {
        const qsizetype end = message.size();
        // A message cut right after the CR of its final CRLF: the CR is no content either.
        const qsizetype contentEnd = end > start && message[end - 1] == '\r' ? end - 1 : end;
        return {contentEnd, end, false};
    }
    const qsizetype contentEnd = lf > start && message[lf - 1] == '\r' ? lf - 1 : lf;
    return {contentEnd, lf + 1, true};
}

// Where the colon of "name: value" is (obs-optional, RFC 5322 §4.5: WSP may precede it), or -1.
qsizetype colonOf(QByteArrayView message, qsizetype start, qsizetype contentEnd, qsizetype& nameEnd)
{
    qsizetype i = start;
    while (i < contentEnd && isFieldNameChar(message[i]))
        ++i;
    nameEnd = i;
    while (i < contentEnd && isWsp(message[i]))
        ++i;
    if (nameEnd == start || i == contentEnd || message[i] != ':')
        return -1;
    return i;
}

// Unfolded text (RFC 5322 §2.2.3) without the WSP that follows the colon, however many lines
// that WSP spans.
void appendUnfolded(QByteArray& value, QByteArrayView chunk)
{
    if (value.isEmpty())
    {
        while (!chunk.isEmpty() && isWsp(chunk.front()))
            chunk = chunk.sliced(1);
    }
    value.append(chunk);
}

} // namespace

HeaderBlock HeaderBlock::parse(QByteArrayView message)
{
    HeaderBlock block;
    qsizetype pos = 0;
    qsizetype unfoldedLength = 0; // of the last field: its bytes without the removed line breaks

    // The line at `at` is not part of the header section; like most MTAs, take it as the body.
    const auto stopInvalid = [&block](qsizetype at)
    {
        block.m_valid = false;
        block.m_bodyOffset = at;
        return block;
    };

    while (pos < message.size())
    {
        const Line line = lineAt(message, pos);
        const qsizetype contentLength = line.contentEnd - pos;
        if (contentLength == 0)
        {
            if (!line.terminated)
                break; // the message stops inside a line break (a lone CR): no empty line
            // RFC 5322 §2.1: the empty line ends the header section.
            block.m_bodyOffset = line.next;
            block.m_complete = true;
            return block;
        }

        if (isWsp(message[pos]))
        {
            // RFC 5322 §2.2.3 unfolding: the line break goes, the WSP that follows it stays.
            if (block.m_fields.isEmpty())
                return stopInvalid(pos);
            HeaderField& field = block.m_fields.last();
            if (unfoldedLength + contentLength > kMaxFieldLength)
            {
                const qsizetype fieldStart = field.offset;
                block.m_fields.removeLast();
                return stopInvalid(fieldStart);
            }
            appendUnfolded(field.value, message.sliced(pos, contentLength));
            field.length = line.next - field.offset;
            unfoldedLength += contentLength;
            pos = line.next;
            continue;
        }

        qsizetype nameEnd = 0;
        const qsizetype colon = colonOf(message, pos, line.contentEnd, nameEnd);
        if (colon < 0)
            return stopInvalid(pos); // neither a field nor a continuation
        // Limits are checked before anything more is kept (STYLE.md §2).
        if (block.m_fields.size() >= kMaxFields || contentLength > kMaxFieldLength)
            return stopInvalid(pos);

        HeaderField field{message.sliced(pos, nameEnd - pos).toByteArray(), QByteArray(), pos, line.next - pos};
        appendUnfolded(field.value, message.sliced(colon + 1, line.contentEnd - colon - 1));
        block.m_fields.append(std::move(field));
        unfoldedLength = contentLength;
        pos = line.next;
    }

    // No empty line: everything is header (RFC 5322 §3.5 makes the body optional).
    block.m_bodyOffset = message.size();
    return block;
}

QByteArray HeaderBlock::value(QByteArrayView name) const
{
    for (const HeaderField& field : m_fields)
    {
        if (QByteArrayView(field.name).compare(name, Qt::CaseInsensitive) == 0)
            return field.value;
    }
    return {};
}

QList<QByteArray> HeaderBlock::values(QByteArrayView name) const
{
    QList<QByteArray> found;
    for (const HeaderField& field : m_fields)
    {
        if (QByteArrayView(field.name).compare(name, Qt::CaseInsensitive) == 0)
            found.append(field.value);
    }
    return found;
}

bool HeaderBlock::contains(QByteArrayView name) const
{
    for (const HeaderField& field : m_fields)
    {
        if (QByteArrayView(field.name).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace promail
