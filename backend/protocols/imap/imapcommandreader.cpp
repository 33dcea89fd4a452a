#include "protocols/imap/imapcommandreader.h"

#include <algorithm>

namespace promail
{

namespace
{
// Parses a trailing "{123}" or "{123+}" of a line; returns -1 when there is none.
qint64 trailingLiteral(QByteArrayView line, bool* nonSynchronizing)
{
    if (!line.endsWith('}'))
        return -1;
    const qsizetype open = line.lastIndexOf('{');
    if (open < 0)
        return -1;
    QByteArrayView digits = line.sliced(open + 1, line.size() - open - 2);
    *nonSynchronizing = digits.endsWith('+');
    if (*nonSynchronizing)
        digits.chop(1);
    if (digits.isEmpty() || digits.size() > 12)
        return -1;
    qint64 value = 0;
    for (char c : digits)
    {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}
} // namespace

void ImapCommandReader::reset()
{
    m_command.clear();
    m_literalRemaining = 0;
    m_literalBytes = 0;
    m_spilledBytes = 0;
    m_discarding = false;
    m_complete = false;
    m_nonSynchronizing = false;
    m_spilling = false;
    m_spilled = false;
    m_sinkFailed = false;
}

bool ImapCommandReader::isAppend() const
{
    // tag SP "APPEND" SP ...: the command name is the second token of the first line.
    const qsizetype space = m_command.indexOf(' ');
    if (space < 0)
        return false;
    const QByteArrayView rest = QByteArrayView(m_command).sliced(space + 1);
    return rest.size() > 7 && rest.first(7).compare("APPEND ", Qt::CaseInsensitive) == 0;
}

QByteArray ImapCommandReader::tag() const
{
    const qsizetype space = m_command.indexOf(' ');
    return space > 0 ? m_command.left(space) : m_command.left(std::min<qsizetype>(m_command.size(), 64));
}

ImapCommandReader::Event ImapCommandReader::feed(QByteArray& input)
{
    if (m_complete)
        reset();
    while (!input.isEmpty())
    {
        if (m_literalRemaining > 0)
        {
            const qsizetype take = qsizetype(std::min<qint64>(m_literalRemaining, input.size()));
            if (!m_spilling)
                m_command.append(input.constData(), take);
            else if (!m_sinkFailed)
                m_sinkFailed = !m_sink(QByteArrayView(input).first(take), m_literalBytes == m_spillStart);
            input.remove(0, take);
            m_literalRemaining -= take;
            m_literalBytes += take;
            if (m_spilling)
                m_spilledBytes += take;
            continue;
        }
        const qsizetype newline = input.indexOf('\n');
        if (newline < 0)
        {
            if (input.size() > kMaxLine && !m_discarding)
            {
                // Keep only the tag, for the tagged BAD; the rest is dropped up to the line end.
                const qsizetype space = input.indexOf(' ');
                m_command = m_command.isEmpty() ? input.left(space > 0 ? std::min<qsizetype>(space, 64) : 0) : tag();
                m_discarding = true;
                input.clear();
                return Event::LineTooLong;
            }
            if (m_discarding)
                input.clear();
            return Event::NeedMore;
        }
        QByteArray line = input.left(newline);
        input.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (m_discarding)
        {
            // The end of the over-long line: a literal announced on it cannot be trusted, so
            // the client must resynchronise on the next line.
            reset();
            continue;
        }
        // kMaxCommand counts the lines only: the literals have their own limit.
        if (line.size() > kMaxLine || m_command.size() - (m_literalBytes - m_spilledBytes) + line.size() > kMaxCommand)
        {
            const QByteArray tagOfCommand = tag();
            reset();
            m_command = tagOfCommand.isEmpty() ? line.left(line.indexOf(' ')) : tagOfCommand;
            m_complete = true;
            return Event::LineTooLong;
        }
        m_command += line;
        bool nonSynchronizing = false;
        const qint64 literal = trailingLiteral(line, &nonSynchronizing);
        if (literal < 0)
        {
            m_complete = true;
            return Event::Command;
        }
        // RFC 7889: APPEND may carry a larger literal than other commands (the message itself).
        const bool largeAppend = m_largeAppendAllowed && isAppend();
        qint64 limit = largeAppend ? std::max(m_maxLiteral, m_maxAppendLiteral) : m_maxLiteral;
        if (nonSynchronizing)
            limit = std::min(limit, kMaxNonSynchronizingLiteral);
        m_nonSynchronizing = nonSynchronizing;
        // All the literals of one command together: many small ones must not add up to more than
        // one command and, for APPEND, one message may hold.
        const qint64 budget = kMaxCommand + (largeAppend ? m_maxAppendLiteral : 0);
        if (literal > limit || m_literalBytes + literal > budget)
        {
            // RFC 7888 §5: a non-synchronizing literal that is too large makes the rest of the
            // stream meaningless; the session closes. A synchronizing one is simply refused.
            m_complete = true;
            return Event::LiteralTooLarge;
        }
        m_command += "\r\n";
        m_literalRemaining = literal;
        // A spilled literal must be the command's last element (APPEND's message), which the next
        // line, empty, confirms; anything else after it is a syntax error the parser reports.
        m_spilling = m_sink && m_spillThreshold > 0 && literal > m_spillThreshold && isAppend();
        m_spilled = m_spilled || m_spilling;
        m_spillStart = m_literalBytes;
        if (!nonSynchronizing)
            return Event::Continue;
    }
    return Event::NeedMore;
}

} // namespace promail
