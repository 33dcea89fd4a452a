#include "protocols/pop3/dotstuffer.h"

namespace promail
{

QByteArray DotStuffer::feed(QByteArrayView piece)
{
    QByteArray out;
    out.reserve(piece.size() + piece.size() / 64 + 2);
    qsizetype position = 0;
    while (position < piece.size() && !m_done)
    {
        if (m_lineStart)
        {
            // RFC 1939 §3: byte-stuff a line beginning with the termination octet.
            if (piece.at(position) == '.')
                out += '.';
            m_lineStart = false;
        }
        const qsizetype newline = piece.indexOf('\n', position);
        const qsizetype end = newline < 0 ? piece.size() : newline;
        if (end > position)
        {
            out.append(piece.sliced(position, end - position));
            m_lineLength += end - position;
            m_lastByte = piece.at(end - 1);
        }
        if (newline < 0)
            break;
        const bool hasCr = m_lineLength > 0 && m_lastByte == '\r';
        out.append(hasCr ? QByteArrayView("\n") : QByteArrayView("\r\n"));
        endLine(m_lineLength == (hasCr ? 1 : 0));
        position = newline + 1;
    }
    return out;
}

void DotStuffer::endLine(bool empty)
{
    m_lineStart = true;
    m_lineLength = 0;
    m_lastByte = '\0';
    if (m_inHeader)
    {
        // The first empty line ends the header section (RFC 5322 §2.1).
        if (empty)
        {
            m_inHeader = false;
            m_done = m_bodyLines == 0;
        }
        return;
    }
    ++m_bodyLinesSent;
    m_done = m_bodyLines >= 0 && m_bodyLinesSent >= m_bodyLines;
}

QByteArray DotStuffer::finish()
{
    QByteArray out;
    if (!m_lineStart)
        out.append(m_lastByte == '\r' ? QByteArrayView("\n") : QByteArrayView("\r\n"));
    out += ".\r\n";
    m_lineStart = true;
    m_done = true;
    return out;
}

} // namespace promail
