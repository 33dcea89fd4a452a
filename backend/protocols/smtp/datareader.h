#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

// Reads the text of an SMTP DATA command (RFC 5321 §4.1.1.4): lines end with CRLF, the data
// ends with a line holding a single ".", and a leading "." of any other line is removed
// (§4.5.2 transparency). A bare LF or bare CR is refused outright instead of being guessed at:
// guessing is what SMTP smuggling exploits (§2.3.8 allows only CRLF).
class DataReader
{
public:
    enum class State
    {
        Reading,
        Finished,       // the end marker was read; bytes after it are not consumed
        BareLineEnding, // a bare CR or LF was seen; the rest is not read
    };

    // Unstuffs `input` into `out`; returns how many bytes of input were consumed.
    qsizetype feed(QByteArrayView input, QByteArray& out);
    State state() const { return m_state; }

private:
    State m_state = State::Reading;
    bool m_lineStart = true;
    bool m_dotPending = false; // a '.' opened the line; it is dropped or ends the data
    bool m_crPending = false;
    bool m_dotLine = false; // the line that the pending CR ends was a lone "."
};

} // namespace promail
