// libFuzzer target for protocols/pop3: arbitrary bytes as a command line must never crash the
// parser or yield a malformed command, and as a stored message they must come out of the
// multi-line encoder (RETR, and TOP with a line count taken from the first byte) as a response
// that unstuffs to exactly the message with CRLF line ends.
#include "protocols/pop3/dotstuffer.h"
#include "protocols/pop3/pop3command.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace
{
void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkCommand(QByteArrayView line)
{
    const promail::Pop3Command command = promail::Pop3Command::parse(line);
    if (!command.ok())
    {
        check(command.arguments.isEmpty());
        return;
    }
    check(!command.verb.isEmpty() && command.verb == command.verb.toUpper());
    check(line.size() >= command.verb.size());
    for (char c : command.verb)
        check(c > ' ' && c < 0x7f);
    for (const QByteArray& argument : command.arguments)
    {
        for (char c : argument)
            check(static_cast<unsigned char>(c) >= ' ' && c != 0x7f);
        if (command.verb != "PASS")
            check(!argument.isEmpty() && !argument.contains(' '));
    }
    check(command.verb != "PASS" || command.arguments.size() <= 1);
    for (const QByteArray& argument : command.arguments)
    {
        const std::optional<qint64> number = promail::Pop3Command::number(argument);
        if (number)
            check(*number >= 0 && *number <= 9999999999LL && argument.size() <= 10);
    }
}

// What RETR must send, unstuffed: every line ends in CRLF (a bare LF becomes CRLF).
QByteArray withCrlf(QByteArrayView message)
{
    QByteArray expected;
    for (qsizetype i = 0; i < message.size(); ++i)
    {
        if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r'))
            expected += '\r';
        expected += message[i];
    }
    if (!expected.isEmpty() && !expected.endsWith('\n'))
        expected += expected.endsWith('\r') ? "\n" : "\r\n";
    return expected;
}

void checkEncoding(QByteArrayView message, qint64 bodyLines, qsizetype split)
{
    promail::DotStuffer stuffer(bodyLines);
    QByteArray out = stuffer.feed(message.first(split));
    out += stuffer.feed(message.sliced(split));
    out += stuffer.finish();
    check(out.endsWith(".\r\n") && (out.size() == 3 || out.endsWith("\r\n.\r\n")));
    // Every line ends in CRLF; only the terminator is a lone "."; unstuffing gives the message.
    QByteArray unstuffed;
    const QList<QByteArray> lines = out.first(out.size() - 3).split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
    {
        const QByteArray& line = lines[i];
        check(line.endsWith('\r'));
        check(line != ".\r");
        if (line.startsWith('.'))
        {
            check(line.startsWith(".."));
            unstuffed += line.sliced(1) + '\n';
        }
        else
            unstuffed += line + '\n';
    }
    check(lines.last().isEmpty());
    const QByteArray expected = withCrlf(message);
    if (bodyLines < 0)
        check(unstuffed == expected);
    else
        check(expected.startsWith(unstuffed));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    // Every line of the input is a command line, as the session would cut it.
    for (QByteArrayView rest = input; !rest.isEmpty();)
    {
        const qsizetype newline = rest.indexOf('\n');
        QByteArrayView line = newline < 0 ? rest : rest.first(newline);
        if (line.endsWith('\r'))
            line.chop(1);
        checkCommand(line);
        rest = newline < 0 ? QByteArrayView() : rest.sliced(newline + 1);
    }
    const qint64 bodyLines = size == 0 ? -1 : qint64(data[0] % 8) - 1;
    checkEncoding(input, bodyLines, size == 0 ? 0 : qsizetype(data[size - 1]) % qsizetype(size + 1));
    checkEncoding(input, -1, qsizetype(size / 2));
    return 0;
}
