// libFuzzer target for the SMTP command-line parsers: the input is one command line (without
// CRLF), parsed with Cursor as SmtpSession does — the verb, then for MAIL/RCPT readPath() and
// readParameters() (RFC 5321 §4.1.2), decodeXtext() on DSN values (RFC 3461 §4) and the address
// parser on the path; for BDAT the chunk size and LAST (RFC 3030). Checks:
//  - the cursor never runs past the end, and a failed parse always has an error message;
//  - an accepted MAIL/RCPT consumed the whole line, has non-empty, upper-case keywords without
//    spaces or "=", and values without spaces;
//  - an accepted path written back as "<path> params" parses again to the same path and
//    parameters (unless it begins with '@', which would read as a source route);
//  - xtext that decodes is valid RFC 3461 xtext, and re-encoded (as "+XX" for every byte) it
//    decodes to the same bytes.
#include "protocols/abnf/cursor.h"
#include "protocols/smtp/smtppath.h"
#include "shared/address.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QString>

using namespace promail;

namespace
{

void check(bool condition)
{
    if (!condition)
        std::abort();
}

QByteArray encodeXtext(const QByteArray& bytes)
{
    QByteArray out;
    for (char c : bytes)
        out += '+' + QByteArray(1, c).toHex().toUpper();
    return out;
}

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

void checkXtext(const QByteArray& value)
{
    const std::optional<QByteArray> decoded = decodeXtext(value);
    if (!decoded)
        return;
    // RFC 3461 §4: every "+" starts a hexchar, "+" and two hex digits (lower case tolerated).
    for (qsizetype i = 0; i < value.size(); ++i)
    {
        if (value.at(i) == '+')
        {
            check(i + 2 < value.size() && isHex(value.at(i + 1)) && isHex(value.at(i + 2)));
            i += 2;
        }
    }
    check(decoded->size() <= value.size());
    const std::optional<QByteArray> again = decodeXtext(encodeXtext(*decoded));
    check(again && *again == *decoded);
}

void checkParameters(const QList<PathParameter>& parameters)
{
    for (const PathParameter& parameter : parameters)
    {
        check(!parameter.keyword.isEmpty());
        check(parameter.keyword == parameter.keyword.toUpper());
        check(!parameter.keyword.contains(' ') && !parameter.keyword.contains('='));
        check(!parameter.value.contains(' '));
        check(parameter.hasValue || parameter.value.isEmpty());
        checkXtext(parameter.value);
        const qsizetype semicolon = parameter.value.indexOf(';');
        if (semicolon >= 0)
            checkXtext(parameter.value.mid(semicolon + 1)); // ORCPT=addr-type;xtext
    }
}

void pathCommand(const QByteArray& line, Cursor& cursor, QByteArrayView prefix)
{
    cursor.space();
    cursor.require(prefix);
    cursor.skipSpaces();
    const QByteArray path = readPath(cursor);
    const QList<PathParameter> parameters = readParameters(cursor);
    check(cursor.position() <= line.size());
    if (!cursor.ok())
    {
        check(!cursor.error().isEmpty());
        return;
    }
    check(cursor.atEnd());
    checkParameters(parameters);

    // The session reads the path as UTF-8 and hands it to the address parser.
    const ParsedAddress parsed = parseMailAddress(QString::fromUtf8(path));
    check(parsed.address.has_value() != !parsed.error.isEmpty());

    if (path.startsWith('@'))
        return;
    QByteArray rewritten = '<' + path + '>';
    for (const PathParameter& parameter : parameters)
    {
        rewritten += ' ';
        rewritten += parameter.keyword;
        if (parameter.hasValue)
            rewritten += '=' + parameter.value;
    }
    Cursor again(rewritten);
    const QByteArray path2 = readPath(again);
    const QList<PathParameter> parameters2 = readParameters(again);
    check(again.ok() && again.atEnd());
    check(path2 == path);
    check(parameters2.size() == parameters.size());
    for (qsizetype i = 0; i < parameters.size(); ++i)
    {
        check(parameters2.at(i).keyword == parameters.at(i).keyword);
        check(parameters2.at(i).value == parameters.at(i).value);
        check(parameters2.at(i).hasValue == parameters.at(i).hasValue);
    }
}

void bdatCommand(const QByteArray& line, Cursor& cursor)
{
    cursor.space();
    const qint64 size = cursor.number(12);
    if (cursor.ok() && !cursor.atEnd())
    {
        cursor.space();
        cursor.require("LAST");
    }
    cursor.end();
    check(cursor.position() <= line.size());
    if (cursor.ok())
        check(size >= 0 && size < 1000000000000LL);
    else
        check(!cursor.error().isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 4096) // SmtpSession::kMaxCommandLine
        return 0;
    const QByteArray line(reinterpret_cast<const char*>(data), qsizetype(size));
    Cursor cursor(line);
    const QByteArray verb = cursor.until(" ").toUpper();
    check(!verb.contains(' '));
    if (verb == "MAIL")
        pathCommand(line, cursor, "FROM:");
    else if (verb == "RCPT")
        pathCommand(line, cursor, "TO:");
    else if (verb == "BDAT")
        bdatCommand(line, cursor);
    else
    {
        // EHLO/HELO/RSET/DATA-style: an argument up to the next space, then the end.
        cursor.skipSpaces();
        cursor.until(" ");
        cursor.skipSpaces();
        cursor.end();
        check(cursor.position() <= line.size());
        check(cursor.ok() == cursor.error().isEmpty());
    }
    return 0;
}
