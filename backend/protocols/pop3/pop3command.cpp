#include "protocols/pop3/pop3command.h"

#include "protocols/abnf/cursor.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
bool isControl(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

bool isKeywordChar(unsigned char c)
{
    return c > 0x20 && c < 0x7f;
}
} // namespace

Pop3Command Pop3Command::parse(QByteArrayView line)
{
    Pop3Command command;
    for (char c : line)
    {
        if (isControl(c))
        {
            command.error = u"control characters are not allowed in a command"_s;
            return command;
        }
    }
    Cursor cursor(line);
    command.verb = cursor.span(isKeywordChar, u"a command keyword"_s).toUpper();
    if (command.verb == "PASS" && cursor.present(" "))
    {
        // RFC 1939 §7: "the server may treat spaces in the argument as part of the password".
        command.arguments.append(cursor.rest().toByteArray());
    }
    else
    {
        while (cursor.ok() && !cursor.atEnd())
        {
            cursor.space(); // lenient: several spaces, and trailing ones, are accepted
            if (!cursor.atEnd())
                command.arguments.append(cursor.until(" "));
        }
    }
    if (!cursor.ok())
    {
        command.error = line.isEmpty() ? u"empty command line"_s : cursor.error();
        command.arguments.clear();
    }
    return command;
}

std::optional<qint64> Pop3Command::number(QByteArrayView text)
{
    Cursor cursor(text);
    const qint64 value = cursor.number(10);
    cursor.end();
    if (!cursor.ok())
        return std::nullopt;
    return value;
}

} // namespace promail
