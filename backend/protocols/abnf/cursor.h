#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace promail
{

// The one hand-written parser cursor shared by the protocols (STYLE.md §2): it walks a command
// line, the first error wins and later calls do nothing, no exceptions. Input is bytes; the
// protocol decides how to turn them into text.
class Cursor
{
public:
    explicit Cursor(QByteArrayView input) : m_input(input) {}

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    bool atEnd() const { return m_position >= m_input.size(); }
    qsizetype position() const { return m_position; }
    char next() const { return atEnd() ? '\0' : m_input.at(m_position); }
    // Consumes and returns the next byte ('\0' at the end).
    char take() { return atEnd() ? '\0' : m_input.at(m_position++); }
    QByteArrayView rest() const { return m_input.sliced(m_position); }

    // Consumes `text` (ASCII case-insensitive) when it comes next; true if it did.
    bool present(QByteArrayView text);
    // As present(), but a mismatch is an error naming what was expected.
    void require(QByteArrayView text);
    // Consumes one or more spaces; an error when there is none.
    void space();
    void skipSpaces();
    // Bytes up to (not including) the first of `stops` or the end; may be empty.
    QByteArray until(QByteArrayView stops);
    // A run of bytes accepted by `accept`, at least one.
    template <typename Predicate>
    QByteArray span(Predicate accept, const QString& what)
    {
        const qsizetype start = m_position;
        while (!atEnd() && accept(static_cast<unsigned char>(next())))
            ++m_position;
        if (m_position == start)
            fail(QStringLiteral("expected %1").arg(what));
        return m_input.sliced(start, m_position - start).toByteArray();
    }
    // A decimal number of at most `maxDigits` digits.
    qint64 number(int maxDigits = 18);
    // Requires the end of input.
    void end();

private:
    QByteArrayView m_input;
    qsizetype m_position = 0;
    QString m_error;
};

} // namespace promail
