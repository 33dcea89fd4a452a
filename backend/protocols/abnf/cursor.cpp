#include "protocols/abnf/cursor.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
} // namespace

bool Cursor::present(QByteArrayView text)
{
    if (!ok() || m_input.size() - m_position < text.size())
        return false;
    for (qsizetype i = 0; i < text.size(); ++i)
    {
        if (lower(m_input.at(m_position + i)) != lower(text.at(i)))
            return false;
    }
    m_position += text.size();
    return true;
}

void Cursor::require(QByteArrayView text)
{
    if (ok() && !present(text))
        fail(u"expected \"%1\""_s.arg(QString::fromLatin1(text.toByteArray())));
}

void Cursor::space()
{
    if (!ok())
        return;
    if (next() != ' ')
    {
        fail(u"expected a space"_s);
        return;
    }
    skipSpaces();
}

void Cursor::skipSpaces()
{
    while (!atEnd() && next() == ' ')
        ++m_position;
}

QByteArray Cursor::until(QByteArrayView stops)
{
    const qsizetype start = m_position;
    while (ok() && !atEnd() && !stops.contains(next()))
        ++m_position;
    return m_input.sliced(start, m_position - start).toByteArray();
}

qint64 Cursor::number(int maxDigits)
{
    if (!ok())
        return 0;
    qint64 value = 0;
    int digits = 0;
    while (!atEnd() && next() >= '0' && next() <= '9')
    {
        if (++digits > maxDigits)
        {
            fail(u"number too large"_s);
            return 0;
        }
        value = value * 10 + (next() - '0');
        ++m_position;
    }
    if (digits == 0)
        fail(u"expected a number"_s);
    return value;
}

void Cursor::end()
{
    if (ok() && !atEnd())
        fail(u"unexpected \"%1\""_s.arg(
            QString::fromLatin1(rest().first(std::min<qsizetype>(20, rest().size())).toByteArray())));
}

} // namespace promail
