#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

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
    // Before login APPEND gets only the general limit: nobody takes in a message without a password.
    void setLargeAppendAllowed(bool allowed) { m_largeAppendAllowed = allowed; }
    // An APPEND literal larger than `threshold` is not kept in command(): its octets go to `sink`
    // as they arrive (`first` on the literal's first piece; false from the sink: stop keeping
    // them), so a large message is written to disk instead of held in memory. command() then
    // ends with the literal's "{n}\r\n" and literalSpilled() is true.
    using Sink = std::function<bool(QByteArrayView bytes, bool first)>;
    void setSpill(qint64 threshold, Sink sink)
    {
        m_spillThreshold = threshold;
        m_sink = std::move(sink);
    }
    bool literalSpilled() const { return m_spilled; }
    // The sink refused some of the spilled octets (a full disk): the command must fail.
    bool spillFailed() const { return m_sinkFailed; }

private:
    bool isAppend() const;

    QByteArray m_command;
    qint64 m_literalRemaining = 0;
    qint64 m_literalBytes = 0; // of the command, spilled ones included
    qint64 m_spilledBytes = 0; // not in m_command
    qint64 m_maxLiteral;
    qint64 m_maxAppendLiteral = 0;
    bool m_discarding = false;
    bool m_complete = false;
    bool m_nonSynchronizing = false;
    bool m_largeAppendAllowed = true;
    qint64 m_spillThreshold = 0; // 0: never
    Sink m_sink;
    bool m_spilling = false; // the literal being read goes to m_sink
    bool m_spilled = false;  // the current command's literal went to m_sink
    bool m_sinkFailed = false;
    qint64 m_spillStart = 0; // m_literalBytes when the spilled literal began
};

} // namespace promail
