#include "message/imapaddresslist.h"

#include "message/imapstring.h"

using namespace Qt::StringLiterals;

namespace promail
{

using Type = AddressToken::Type;

QList<ImapAddress> ImapAddressList::parse(QByteArrayView value)
{
    if (value.size() > kMaxInputLength)
        return {};
    ImapAddressList list(value);
    list.m_tokens = AddressLexer(value).tokenize();
    while (!list.atEnd())
    {
        if (list.isAt(','))
        {
            ++list.m_pos; // RFC 5322 §4.4 obs-addr-list: empty elements
            continue;
        }
        list.element(false);
    }
    return std::move(list.m_addresses);
}

QByteArray ImapAddressList::format(const QList<ImapAddress>& addresses)
{
    if (addresses.isEmpty())
        return "NIL"_ba;
    QByteArray out = "("_ba;
    for (const ImapAddress& address : addresses)
    {
        out += '(' + ImapString::nstring(address.name) + ' ' + ImapString::nstring(address.adl) + ' ' +
               ImapString::nstring(address.mailbox) + ' ' + ImapString::nstring(address.host) + ')';
    }
    out += ')';
    return out;
}

// mailbox / group (RFC 5322 §3.4): a phrase before '<' names a mailbox, before ':' a group.
void ImapAddressList::element(bool inGroup)
{
    const qsizetype start = m_pos;
    const qsizetype stop = findStop(start, "<:,;>");
    if (stop < m_tokens.size() && m_tokens[stop].is('<'))
    {
        const std::optional<QByteArray> name = phrase(start, stop);
        m_pos = stop + 1;
        angleAddress(name);
        endOfElement(inGroup);
        return;
    }
    if (stop < m_tokens.size() && m_tokens[stop].is(':') && !inGroup)
    {
        const QByteArray name = phrase(start, stop).value_or(QByteArray(""));
        m_pos = stop + 1;
        group(name);
        endOfElement(inGroup);
        return;
    }

    // A bare addr-spec; a comment after it is the only name it has ("a@b (Alice)"), which
    // clients show as c-client and Dovecot report it.
    m_pos = stop;
    const bool separated = atEnd() || isAt(',') || isAt(';');
    if (separated && stop > start)
    {
        const qsizetype commentEnd = stop < m_tokens.size() ? m_tokens[stop].begin : m_input.size();
        addrSpec(start, stop, trailingComment(m_tokens[stop - 1].end, commentEnd), std::nullopt);
    }
    endOfElement(inGroup);
}

// RFC 9051 §7.5.2: a group is a start marker holding its name, its members, and an end marker.
void ImapAddressList::group(const QByteArray& name)
{
    if (m_addresses.size() >= kMaxAddresses)
    {
        m_pos = m_tokens.size();
        return;
    }
    m_addresses.append(ImapAddress{std::nullopt, std::nullopt, name, std::nullopt});
    while (!atEnd())
    {
        if (isAt(';'))
        {
            ++m_pos;
            break;
        }
        if (isAt(','))
        {
            ++m_pos;
            continue;
        }
        element(true);
    }
    m_addresses.append(ImapAddress()); // closes even an unterminated group, so the markers pair up
}

// angle-addr, with the obsolete route of RFC 5322 §4.4 kept as addr-adl; m_pos is past '<'.
void ImapAddressList::angleAddress(const std::optional<QByteArray>& name)
{
    std::optional<QByteArray> adl;
    if (isAt('@'))
    {
        const qsizetype colon = findStop(m_pos, ":>");
        if (colon >= m_tokens.size() || !m_tokens[colon].is(':'))
        {
            m_pos = colon;
            return;
        }
        QByteArray route;
        for (qsizetype i = m_pos; i < colon; ++i)
            route += text(m_tokens[i]);
        adl = route;
        m_pos = colon + 1;
    }
    const qsizetype close = findStop(m_pos, "<>:,;");
    if (close >= m_tokens.size() || !m_tokens[close].is('>'))
    {
        m_pos = close;
        return;
    }
    addrSpec(m_pos, close, name, adl);
    m_pos = close + 1;
}

// addr-spec (RFC 5322 §3.4.1) split into mailbox and host, CFWS dropped, quoting removed from
// the local part (RFC 9051 §7.5.2 gives the parts, not the quoted form).
void ImapAddressList::addrSpec(qsizetype from, qsizetype to, const std::optional<QByteArray>& name,
                               const std::optional<QByteArray>& adl)
{
    const qsizetype at = qMin(findStop(from, "@"), to);
    QByteArray mailbox;
    bool previousWord = false;
    bool anyWord = false;
    for (qsizetype i = from; i < at; ++i)
    {
        const AddressToken& token = m_tokens[i];
        const bool word = token.type == Type::Atom || token.type == Type::QuotedString;
        if ((!word && !token.is('.')) || (word && previousWord))
            return; // two words without a dot, or junk: no address
        previousWord = word;
        anyWord = anyWord || word;
        mailbox += token.type == Type::QuotedString ? quotedStringContent(text(token)) : text(token).toByteArray();
    }
    if (!anyWord)
        return;

    QByteArray host;
    previousWord = false;
    for (qsizetype i = at + 1; i < to; ++i)
    {
        const AddressToken& token = m_tokens[i];
        const bool word = token.type == Type::Atom || token.type == Type::DomainLiteral;
        if ((!word && !token.is('.')) || (word && previousWord))
        {
            host.clear();
            break;
        }
        previousWord = word;
        host += text(token);
    }
    if (host.isEmpty())
        host = "MISSING_DOMAIN"_ba;
    add({name, adl, mailbox, host});
}

void ImapAddressList::endOfElement(bool inGroup)
{
    if (atEnd() || isAt(',') || (inGroup && isAt(';')))
        return;
    while (!atEnd() && !isAt(',') && !isAt(';'))
        ++m_pos;
    if (!inGroup && isAt(';'))
        ++m_pos; // "a@x; b@y" as people write it
}

void ImapAddressList::add(ImapAddress address)
{
    if (m_addresses.size() >= kMaxAddresses)
    {
        m_pos = m_tokens.size();
        return;
    }
    m_addresses.append(std::move(address));
}

qsizetype ImapAddressList::findStop(qsizetype from, QByteArrayView stops) const
{
    qsizetype i = from;
    while (i < m_tokens.size() && !(m_tokens[i].type == Type::Special && stops.indexOf(m_tokens[i].special) >= 0))
        ++i;
    return i;
}

// RFC 9051 §7.5.2 addr-name: the phrase "after removing [RFC-5322] quoting"; words keep one
// space between them where the input had white space, encoded-words stay encoded.
std::optional<QByteArray> ImapAddressList::phrase(qsizetype from, qsizetype to) const
{
    QByteArray phrase;
    for (qsizetype i = from; i < to; ++i)
    {
        const AddressToken& token = m_tokens[i];
        if (token.type == Type::Invalid)
            continue;
        if (token.spaceBefore && !phrase.isEmpty())
            phrase += ' ';
        phrase += token.type == Type::QuotedString ? quotedStringContent(text(token)) : text(token).toByteArray();
    }
    if (phrase.isEmpty())
        return std::nullopt;
    return phrase;
}

// The text of the first comment in input[from, to), nested parentheses kept, quoted-pairs
// resolved (RFC 5322 §3.2.2).
std::optional<QByteArray> ImapAddressList::trailingComment(qsizetype from, qsizetype to) const
{
    const qsizetype open = m_input.sliced(from, to - from).indexOf('(');
    if (open < 0)
        return std::nullopt;
    QByteArray comment;
    int depth = 1;
    for (qsizetype i = from + open + 1; i < to; ++i)
    {
        char c = m_input[i];
        if (c == '\\' && i + 1 < to)
            c = m_input[++i];
        else if (c == '(')
            ++depth;
        else if (c == ')' && --depth == 0)
            break;
        else if (c == '\r' || c == '\n')
            continue;
        comment += c;
    }
    comment = comment.trimmed();
    if (comment.isEmpty())
        return std::nullopt;
    return comment;
}

QByteArrayView ImapAddressList::text(const AddressToken& token) const
{
    return m_input.sliced(token.begin, token.end - token.begin);
}

} // namespace promail
