#include "message/addresslexer.h"

#include "message/encodedword.h"

namespace promail
{

namespace
{

bool isCfwsSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u < 32 || u == 127;
}

// RFC 5322 §3.2.3 specials, minus the ones that open a token of their own.
bool isSingleSpecial(char c)
{
    return c == '<' || c == '>' || c == '@' || c == ':' || c == ';' || c == ',' || c == '.';
}

// atext (RFC 5322 §3.2.3), with 8-bit bytes as UTF-8 text (RFC 6532 §3.2).
bool isAtext(char c)
{
    if (isControl(c) || c == ' ')
        return false;
    return QByteArrayView("()<>[]:;@\\,.\"").indexOf(c) < 0;
}

} // namespace

QList<AddressToken> AddressLexer::tokenize()
{
    QList<AddressToken> tokens;
    bool space = false;
    while (m_pos < m_input.size())
    {
        const char c = m_input[m_pos];
        if (isCfwsSpace(c))
        {
            space = true;
            ++m_pos;
            continue;
        }
        if (c == '(')
        {
            // RFC 5322 §3.2.2: a comment is white space to everything that reads the address.
            const qsizetype start = m_pos;
            skipComment();
            if (m_unterminated)
            {
                tokens.append({AddressToken::Type::Invalid, start, m_pos, space});
                break;
            }
            space = true;
            continue;
        }

        AddressToken token{AddressToken::Type::Invalid, m_pos, m_pos + 1, space};
        if (c == '"' || c == '[')
        {
            const qsizetype end = quotedEnd(m_pos + 1, c == '"' ? '"' : ']');
            token.end = end < 0 ? m_input.size() : end;
            if (end >= 0)
                token.type = c == '"' ? AddressToken::Type::QuotedString : AddressToken::Type::DomainLiteral;
        }
        else if (isSingleSpecial(c))
        {
            token.type = AddressToken::Type::Special;
            token.special = c;
        }
        else if (isAtext(c))
        {
            token.type = AddressToken::Type::Atom;
            token.end = atomEnd(m_pos);
        }
        tokens.append(token);
        m_pos = token.end;
        space = false;
    }
    return tokens;
}

// Nested comments with quoted-pairs (RFC 5322 §3.2.2); m_pos starts at the '('.
void AddressLexer::skipComment()
{
    int depth = 0;
    while (m_pos < m_input.size())
    {
        const char c = m_input[m_pos++];
        if (c == '\\')
            ++m_pos;
        else if (c == '(')
            ++depth;
        else if (c == ')' && --depth == 0)
            return;
    }
    m_pos = m_input.size();
    m_unterminated = true;
}

// Just past the closing character of a quoted string or domain literal, or -1 if there is none.
qsizetype AddressLexer::quotedEnd(qsizetype from, char close) const
{
    for (qsizetype i = from; i < m_input.size(); ++i)
    {
        const char c = m_input[i];
        if (c == '\\')
            ++i; // RFC 5322 §3.2.1 quoted-pair
        else if (c == close)
            return i + 1;
    }
    return -1;
}

qsizetype AddressLexer::atomEnd(qsizetype from) const
{
    qsizetype i = from;
    while (i < m_input.size())
    {
        // Mailers put '.', ',' or '"' inside Q-encoded words; the encoded-word stays one atom.
        if (const qsizetype length = encodedWordLength(m_input, i); length > 0)
            i += length;
        else if (isAtext(m_input[i]))
            ++i;
        else
            break;
    }
    return i;
}

QByteArray quotedStringContent(QByteArrayView quoted)
{
    QByteArray content;
    content.reserve(quoted.size());
    for (qsizetype i = 1; i + 1 < quoted.size(); ++i)
    {
        char c = quoted[i];
        if (c == '\\' && i + 2 < quoted.size())
            c = quoted[++i];
        else if (c == '\r' || c == '\n')
            continue; // RFC 5322 §3.2.4: the CRLF of folding is not part of the content
        content.append(c);
    }
    return content;
}

} // namespace promail
