#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace promail
{

// One lexical token of an RFC 5322 §3.4 address list. Comments and white space (CFWS) are not
// tokens; they only show as `spaceBefore` on the token that follows them.
struct AddressToken
{
    enum class Type
    {
        Atom,          // atext run, dots excluded; holds whole encoded-words even with specials inside
        QuotedString,  // "..." with its quotes
        DomainLiteral, // [...] with its brackets
        Special,       // one of < > @ : ; , .
        Invalid,       // a control character, a stray ) ] or \, or an unterminated " ( [
    };

    Type type;
    qsizetype begin; // byte range in the input
    qsizetype end;
    bool spaceBefore; // white space or a comment separates it from the previous token
    char special = 0; // the character of a Special

    bool is(char c) const { return type == Type::Special && special == c; }
};

// Splits a field value into AddressTokens (RFC 5322 §3.2: atoms, quoted strings, comments,
// domain literals, specials). Never fails: what it cannot read becomes an Invalid token.
class AddressLexer
{
public:
    explicit AddressLexer(QByteArrayView input) : m_input(input) {}

    QList<AddressToken> tokenize();

private:
    void skipComment();
    qsizetype quotedEnd(qsizetype from, char close) const;
    qsizetype atomEnd(qsizetype from) const;

    QByteArrayView m_input;
    qsizetype m_pos = 0;
    bool m_unterminated = false;
};

// The unescaped content of a quoted string token (RFC 5322 §3.2.4): quoted-pairs resolved, the
// quotes and any line breaks of folding removed.
QByteArray quotedStringContent(QByteArrayView quoted);

} // namespace promail
