#include "message/mimeheadercursor.h"

namespace promail
{

bool isMimeTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127)
        return false;
    // RFC 2045 §5.1 tspecials.
    return QByteArrayView("()<>@,;:\\\"/[]?=").indexOf(c) < 0;
}

void MimeHeaderCursor::skipCfws()
{
    while (!atEnd())
    {
        const char c = m_text[m_pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        {
            ++m_pos;
            continue;
        }
        if (c != '(')
            return;
        // RFC 5322 §3.2.2: comments nest and may hold quoted-pairs.
        int depth = 0;
        while (!atEnd())
        {
            const char d = m_text[m_pos++];
            if (d == '\\')
                ++m_pos;
            else if (d == '(')
                ++depth;
            else if (d == ')' && --depth == 0)
                break;
        }
        m_pos = qMin(m_pos, m_text.size());
    }
}

bool MimeHeaderCursor::skip(char c)
{
    skipCfws();
    if (peek() != c || atEnd())
        return false;
    ++m_pos;
    return true;
}

QByteArray MimeHeaderCursor::token()
{
    const qsizetype start = m_pos;
    while (!atEnd() && isMimeTokenChar(m_text[m_pos]))
        ++m_pos;
    return m_text.sliced(start, m_pos - start).toByteArray();
}

QByteArray MimeHeaderCursor::quotedString()
{
    QByteArray content;
    ++m_pos; // the opening quote
    while (!atEnd())
    {
        char c = m_text[m_pos++];
        if (c == '"')
            return content;
        if (c == '\\' && !atEnd())
            c = m_text[m_pos++]; // RFC 5322 §3.2.1 quoted-pair
        else if (c == '\r' || c == '\n')
            continue; // the line break of folding is not content (RFC 5322 §3.2.4)
        content += c;
    }
    return content;
}

QByteArray MimeHeaderCursor::rawUntil(char stop)
{
    const qsizetype start = m_pos;
    qsizetype end = m_text.indexOf(stop, m_pos);
    if (end < 0)
        end = m_text.size();
    m_pos = end;
    return m_text.sliced(start, end - start).trimmed().toByteArray();
}

void MimeHeaderCursor::skipPast(char stop)
{
    const qsizetype at = m_text.indexOf(stop, m_pos);
    m_pos = at < 0 ? m_text.size() : at + 1;
}

} // namespace promail
