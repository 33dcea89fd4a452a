#include "message/imapstring.h"

#include <QStringBuilder>

using namespace Qt::StringLiterals;

namespace promail
{

ImapString::Form ImapString::formFor(QByteArrayView text)
{
    if (text.size() > kMaxQuotedLength)
        return Form::Literal;
    for (const char c : text)
    {
        const auto u = static_cast<unsigned char>(c);
        if (u == '\r' || u == '\n' || u >= 0x80)
            return Form::Literal;
    }
    return Form::Quoted;
}

QByteArray ImapString::string(QByteArrayView text)
{
    QByteArray clean;
    if (text.contains('\0'))
    {
        clean = text.toByteArray();
        clean.removeIf([](char c) { return c == '\0'; });
        text = clean;
    }
    if (formFor(text) == Form::Literal)
    {
        QByteArray literal = "{"_ba;
        literal += QByteArray::number(text.size()) + "}\r\n"_ba;
        literal += text;
        return literal;
    }

    QByteArray quoted;
    quoted.reserve(text.size() + 2);
    quoted += '"';
    for (const char c : text)
    {
        // RFC 9051 §9 quoted-specials are escaped with a backslash.
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

QByteArray ImapString::nstring(const std::optional<QByteArray>& text)
{
    return text ? string(*text) : "NIL"_ba;
}

} // namespace promail
