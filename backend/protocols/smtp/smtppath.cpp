#include "protocols/smtp/smtppath.h"

#include "protocols/abnf/cursor.h"

using namespace Qt::StringLiterals;

namespace promail
{

// RFC 5321 §4.1.2 Path: "<" [A-d-l ":"] Mailbox ">", or "<>" for the null reverse-path.
// Returns the mailbox as bytes; quoted local parts may contain '>'.
QByteArray readPath(Cursor& cursor)
{
    cursor.require("<");
    if (!cursor.ok())
        return {};
    if (cursor.next() == '@')
    {
        cursor.until(":"); // an obsolete source route: ignored (§3.3, Appendix C)
        cursor.require(":");
    }
    QByteArray path;
    bool quoted = false;
    while (cursor.ok() && !cursor.atEnd())
    {
        const char c = cursor.next();
        if (!quoted && c == '>')
            break;
        path += cursor.take();
        if (c == '"')
            quoted = !quoted;
        else if (c == '\\' && quoted && !cursor.atEnd())
            path += cursor.take();
    }
    cursor.require(">");
    return path;
}

QList<PathParameter> readParameters(Cursor& cursor)
{
    QList<PathParameter> parameters;
    while (cursor.ok() && !cursor.atEnd())
    {
        cursor.space();
        if (cursor.atEnd())
            break;
        PathParameter parameter;
        parameter.keyword = cursor.until("= ").toUpper();
        if (cursor.present("="))
        {
            parameter.hasValue = true;
            parameter.value = cursor.until(" ");
        }
        if (parameter.keyword.isEmpty())
            cursor.fail(u"empty parameter"_s);
        parameters.append(parameter);
    }
    return parameters;
}

// RFC 3461 §4: xtext, "+" followed by two upper-case hex digits stands for one byte.
std::optional<QByteArray> decodeXtext(const QByteArray& text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i)
    {
        const char c = text.at(i);
        if (c == '+')
        {
            // Exactly two upper-case hex digits (RFC 3461 §4: hexchar = "+" 2(%x30-39 / %x41-46)).
            const auto hex = [](char h)
            {
                return (h >= '0' && h <= '9') ? h - '0' : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
            };
            const int high = i + 1 < text.size() ? hex(text.at(i + 1)) : -1;
            const int low = i + 2 < text.size() ? hex(text.at(i + 2)) : -1;
            if (high < 0 || low < 0)
                return std::nullopt;
            out += char(high * 16 + low);
            i += 2;
        }
        else if (c < '!' || c > '~' || c == '=')
            return std::nullopt;
        else
            out += c;
    }
    return out;
}

} // namespace promail
