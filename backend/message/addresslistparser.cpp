#include "message/addresslistparser.h"

#include "message/encodedword.h"

namespace promail
{

using Type = AddressToken::Type;

AddressListParse AddressListParser::parse()
{
    if (m_input.size() > kMaxInputLength)
    {
        m_result.ok = false;
        return m_result;
    }
    m_tokens = AddressLexer(m_input).tokenize();
    while (!atEnd() && !m_full)
    {
        if (isAt(','))
        {
            ++m_pos; // RFC 5322 §4.4: obs-addr-list allows empty elements ("a@x,,b@y")
            continue;
        }
        element(false);
    }
    return std::move(m_result);
}

// mailbox / group (RFC 5322 §3.4). What precedes the first '<' or ':' is a display name;
// without either, the element is a bare addr-spec.
void AddressListParser::element(bool inGroup)
{
    const qsizetype start = m_pos;
    const qsizetype stop = findStop(start, "<:,;>");
    if (stop < m_tokens.size() && m_tokens[stop].is('<'))
    {
        const QString name = displayName(start, stop);
        m_pos = stop + 1;
        angleAddress(name);
        if (!m_full)
            endOfElement(inGroup);
        return;
    }
    if (stop < m_tokens.size() && m_tokens[stop].is(':') && !inGroup)
    {
        m_pos = stop + 1;
        group(); // the group's own display name names no mailbox
        endOfElement(inGroup);
        return;
    }

    // A bare addr-spec counts only when a separator ends it, not a stray '>' or a nested ':'.
    m_pos = stop;
    const bool separated = atEnd() || isAt(',') || isAt(';');
    const std::optional<QByteArray> address = separated ? addrSpec(start, stop) : std::nullopt;
    if (address)
        add(QString(), *address);
    else if (stop > start)
        m_result.ok = false;
    endOfElement(inGroup);
}

// group = display-name ":" [group-list] ";" (RFC 5322 §3.4); m_pos is past the ':'.
void AddressListParser::group()
{
    while (!m_full)
    {
        if (atEnd())
        {
            m_result.ok = false; // no ';' closes the group
            return;
        }
        if (isAt(';'))
        {
            ++m_pos;
            return;
        }
        if (isAt(','))
        {
            ++m_pos;
            continue;
        }
        element(true);
    }
}

// angle-addr = "<" addr-spec ">", or obs-angle-addr with a source route (RFC 5322 §4.4) that
// is dropped; m_pos is past the '<'.
void AddressListParser::angleAddress(const QString& name)
{
    if (isAt('@'))
    {
        const qsizetype colon = findStop(m_pos, ":>");
        if (colon >= m_tokens.size() || !m_tokens[colon].is(':'))
        {
            m_result.ok = false;
            m_pos = colon;
            return;
        }
        m_pos = colon + 1;
    }
    const qsizetype close = findStop(m_pos, "<>:,;");
    if (close >= m_tokens.size() || !m_tokens[close].is('>'))
    {
        m_result.ok = false;
        m_pos = close;
        return;
    }
    const std::optional<QByteArray> address = addrSpec(m_pos, close);
    m_pos = close + 1;
    if (address)
        add(name, *address);
    else
        m_result.ok = false;
}

// After an element only a separator may follow: ',' or the end, or ';' closing a group.
void AddressListParser::endOfElement(bool inGroup)
{
    if (atEnd() || isAt(',') || (inGroup && isAt(';')))
        return;
    m_result.ok = false;
    skipToSeparator(inGroup);
}

// Skips a broken element. Outside a group a stray ';' is taken as a separator too, as people
// and some programs write "a@x; b@y".
void AddressListParser::skipToSeparator(bool inGroup)
{
    while (!atEnd() && !isAt(',') && !isAt(';'))
        ++m_pos;
    if (!inGroup && isAt(';'))
        ++m_pos;
}

void AddressListParser::add(const QString& displayName, const QByteArray& address)
{
    if (m_result.addresses.size() >= kMaxAddresses)
    {
        m_result.ok = false;
        m_full = true;
        m_pos = m_tokens.size();
        return;
    }
    m_result.addresses.append({displayName, QString::fromUtf8(address)});
}

qsizetype AddressListParser::findStop(qsizetype from, QByteArrayView stops) const
{
    qsizetype i = from;
    while (i < m_tokens.size() && !(m_tokens[i].type == Type::Special && stops.indexOf(m_tokens[i].special) >= 0))
        ++i;
    return i;
}

// addr-spec = local-part "@" domain (RFC 5322 §3.4.1), kept as written without CFWS: a quoted
// local part keeps its quotes, an IDN domain stays in its U-labels.
std::optional<QByteArray> AddressListParser::addrSpec(qsizetype from, qsizetype to) const
{
    const qsizetype at = findStop(from, "@");
    if (at >= to)
        return std::nullopt;
    QByteArray address;
    bool localWord = false;
    bool previousWord = false;
    for (qsizetype i = from; i < at; ++i)
    {
        const AddressToken& token = m_tokens[i];
        // obs-local-part (§4.4): CFWS may sit around the dots, and is dropped. Two words need a
        // dot between them, or "John john@x" would read as "Johnjohn@x".
        const bool word = token.type == Type::Atom || token.type == Type::QuotedString;
        if ((!word && !token.is('.')) || (word && previousWord))
            return std::nullopt;
        localWord = localWord || word;
        previousWord = word;
        address += text(token);
    }
    address += '@';
    bool domainWord = false;
    previousWord = false;
    for (qsizetype i = at + 1; i < to; ++i)
    {
        const AddressToken& token = m_tokens[i];
        const bool word = token.type == Type::Atom || token.type == Type::DomainLiteral;
        if ((!word && !token.is('.')) || (word && previousWord))
            return std::nullopt;
        domainWord = domainWord || word;
        previousWord = word;
        address += text(token);
    }
    if (!localWord || !domainWord)
        return std::nullopt;
    return address;
}

// phrase (RFC 5322 §3.2.5), with obs-phrase dots ("John Q. Public", §4.1): words joined by one
// space where the input separated them, quoted strings unquoted, encoded-words decoded.
QString AddressListParser::displayName(qsizetype from, qsizetype to)
{
    QByteArray phrase;
    for (qsizetype i = from; i < to; ++i)
    {
        const AddressToken& token = m_tokens[i];
        if (token.type == Type::Invalid)
        {
            m_result.ok = false;
            continue;
        }
        if (token.spaceBefore && !phrase.isEmpty())
            phrase += ' ';
        // Encoded-words inside quotes are against RFC 2047 §5 but common; they are decoded too,
        // as the widespread mail readers do.
        phrase += token.type == Type::QuotedString ? quotedStringContent(text(token)) : text(token).toByteArray();
    }
    return decodeEncodedWords(phrase).trimmed();
}

QByteArrayView AddressListParser::text(const AddressToken& token) const
{
    return m_input.sliced(token.begin, token.end - token.begin);
}

} // namespace promail
