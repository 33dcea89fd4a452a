#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

// Assembles complete IMAP commands from the byte stream (RFC 9051 §2.2.1): a command is one
// line, except that a literal "{n}" (or the non-synchronizing "{n+}", RFC 7888) at the end of
// a line is followed by n octets and the rest of the command. Sizes are checked before any
// literal byte is read — before "+" is sent for a synchronizing literal (STYLE.md §2).
class ImapCommandReader
{
public:
    static constexpr qsizetype kMaxLine = 64 * 1024;        // one line of a command
    static constexpr qsizetype kMaxCommand = 256 * 1024;    // all lines; also all literals but APPEND's message
    static constexpr qint64 kMaxLiteral = 64 * 1024 * 1024; // one literal (APPENDLIMIT)
    // RFC 7888 §5 LITERAL-: a non-synchronizing literal may hold at most 4096 octets.
    static constexpr qint64 kMaxNonSynchronizingLiteral = 4096;

    enum class Event
    {
        NeedMore,        // feed more bytes
        Command,         // command() is complete
        Continue,        // send "+ Ready for literal data" and feed more
        LineTooLong,     // the current command was discarded up to its end
        LiteralTooLarge, // a literal over the limit: refuse the command (no "+" was sent); for
                         // a non-synchronizing one (nonSynchronizing()) its octets are on their way
    };

    explicit ImapCommandReader(qint64 maxLiteral = kMaxLiteral) : m_maxLiteral(maxLiteral) {}

    // Consumes bytes from `input` (removing what it used) and reports the first event.
    Event feed(QByteArray& input);

    // The complete command: lines joined with CRLF, literals inline after their "{n}\r\n".
    const QByteArray& command() const { return m_command; }
    // The tag of the current command (for a tagged error after LineTooLong/LiteralTooLarge).
    QByteArray tag() const;
    void reset();
    // The literal that ended the last line was non-synchronizing ("{n+}", RFC 7888).
    bool nonSynchronizing() const { return m_nonSynchronizing; }
    // The literal limit for APPEND (the message), when larger than the general one.
    void setMaxAppendLiteral(qint64 size) { m_maxAppendLiteral = size; }
    qint64 maxAppendLiteral() const { return m_maxAppendLiteral; }

private:
    bool isAppend() const;

    QByteArray m_command;
    qint64 m_literalRemaining = 0;
    qint64 m_literalBytes = 0; // of m_command
    qint64 m_maxLiteral;
    qint64 m_maxAppendLiteral = 0;
    bool m_discarding = false;
    bool m_complete = false;
    bool m_nonSynchronizing = false;
};

} // namespace promail
