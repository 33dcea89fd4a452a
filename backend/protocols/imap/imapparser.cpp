#include "protocols/imap/imapparser.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §9: atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials /
// resp-specials.
bool isAtomChar(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' &&
           c != ']';
}

bool isAstringChar(unsigned char c)
{
    return isAtomChar(c) || c == ']';
}
} // namespace

QByteArray ImapParser::tag()
{
    return m_cursor.span([](unsigned char c) { return isAstringChar(c) && c != '+'; }, u"a tag"_s);
}

QByteArray ImapParser::atom()
{
    return m_cursor.span(isAtomChar, u"an atom"_s);
}

QByteArray ImapParser::quoted()
{
    m_cursor.require("\"");
    QByteArray value;
    while (m_cursor.ok())
    {
        if (m_cursor.atEnd())
        {
            m_cursor.fail(u"unterminated quoted string"_s);
            break;
        }
        const char c = m_cursor.take();
        if (c == '"')
            break;
        if (c == '\r' || c == '\n')
        {
            m_cursor.fail(u"line break in a quoted string"_s);
            break;
        }
        if (c == '\\')
        {
            const char escaped = m_cursor.take();
            if (escaped != '"' && escaped != '\\')
            {
                m_cursor.fail(u"only \\\" and \\\\ may be escaped in a quoted string"_s);
                break;
            }
            value += escaped;
            continue;
        }
        value += c;
    }
    return value;
}

qint64 ImapParser::literalHeader()
{
    m_cursor.require("{");
    const qint64 size = m_cursor.number(12);
    m_cursor.present("+");
    m_cursor.require("}\r\n");
    return m_cursor.ok() ? size : -1;
}

QByteArray ImapParser::literal()
{
    const qint64 size = literalHeader();
    if (!m_cursor.ok())
        return {};
    const QByteArrayView rest = m_cursor.rest();
    if (rest.size() < size)
    {
        m_cursor.fail(u"literal shorter than announced"_s);
        return {};
    }
    const QByteArray value = rest.first(size).toByteArray();
    for (qint64 i = 0; i < size; ++i)
        m_cursor.take();
    return value;
}

QByteArray ImapParser::string()
{
    if (m_cursor.next() == '"')
        return quoted();
    if (m_cursor.next() == '{')
        return literal();
    m_cursor.fail(u"expected a string"_s);
    return {};
}

QByteArray ImapParser::astring()
{
    if (m_cursor.next() == '"' || m_cursor.next() == '{')
        return string();
    return m_cursor.span(isAstringChar, u"an astring"_s);
}

std::optional<QByteArray> ImapParser::nstring()
{
    if (m_cursor.present("NIL"))
        return std::nullopt;
    return string();
}

quint32 ImapParser::number()
{
    const qint64 value = m_cursor.number(10);
    if (value > 0xffffffffLL)
        m_cursor.fail(u"number out of range"_s);
    return quint32(value);
}

qint64 ImapParser::modseq()
{
    // RFC 7162 §7 allows up to 2^63-1; 18 digits are far beyond any counter ProMail reaches.
    return m_cursor.number(18);
}

SequenceSet ImapParser::sequenceSet()
{
    SequenceSet set;
    // RFC 5182 §4: "$" stands alone, never inside a list of ranges.
    if (m_cursor.present("$"))
        return {SequenceRange{SequenceRange::kSaved, SequenceRange::kSaved}};
    const auto one = [this]() -> quint32
    {
        if (m_cursor.present("*"))
            return SequenceRange::kStar;
        const quint32 value = number();
        if (m_cursor.ok() && value == 0)
            m_cursor.fail(u"0 is not a message number"_s);
        return value;
    };
    do
    {
        SequenceRange range;
        range.first = one();
        range.last = m_cursor.present(":") ? one() : range.first;
        set.append(range);
    } while (m_cursor.ok() && m_cursor.present(","));
    return set;
}

QList<QByteArray> ImapParser::flagList()
{
    QList<QByteArray> flags;
    m_cursor.require("(");
    while (m_cursor.ok() && !m_cursor.present(")"))
    {
        if (!flags.isEmpty())
            space();
        const bool system = m_cursor.present("\\");
        QByteArray flag = atom();
        flags.append(system ? '\\' + flag : flag);
    }
    return flags;
}

QByteArray ImapParser::mailboxName()
{
    const QByteArray name = astring();
    // RFC 9051 §5.1: INBOX is case-insensitive.
    if (name.compare("INBOX", Qt::CaseInsensitive) == 0)
        return "INBOX"_ba;
    return name;
}

} // namespace promail
