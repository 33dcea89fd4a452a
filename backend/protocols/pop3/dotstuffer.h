#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

// Turns a stored message into the body of a POP3 multi-line response (RFC 1939 §3), piece by
// piece: a line that starts with "." gets another "." in front, every line ends in CRLF (a bare
// LF becomes CRLF), and finish() adds the terminating ".". With a body line limit it stops after
// the header section, the blank line and that many body lines (TOP, RFC 1939 §7).
class DotStuffer
{
public:
    // bodyLines < 0: the whole message.
    explicit DotStuffer(qint64 bodyLines = -1) : m_bodyLines(bodyLines) {}

    // The encoded form of the next piece of the message; empty once the limit is reached.
    QByteArray feed(QByteArrayView piece);
    // Ends the response: CRLF after an unterminated last line, then ".\r\n".
    QByteArray finish();
    // The line limit has been reached: the rest of the message is not needed.
    bool isDone() const { return m_done; }

private:
    void endLine(bool empty);

    qint64 m_bodyLines;
    qint64 m_bodyLinesSent = 0;
    bool m_inHeader = true;
    bool m_lineStart = true;
    qint64 m_lineLength = 0; // bytes of the current line so far, without its LF
    char m_lastByte = '\0';
    bool m_done = false;
};

} // namespace promail
