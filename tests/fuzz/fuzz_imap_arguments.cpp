// libFuzzer target for the IMAP argument parsers of LIST (RFC 5258, RFC 5819), STATUS items and
// ID (RFC 2971): arbitrary bytes after the command name must never crash them, and what they
// accept must keep their promises (known options only, the ID limits of RFC 2971 §3.3, matching
// that terminates quickly and agrees with itself).
#include "protocols/imap/imapidcommand.h"
#include "protocols/imap/imaplistcommand.h"

#include <algorithm>
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

void checkList(QByteArrayView arguments)
{
    promail::ImapParser parser(arguments);
    const promail::ImapListCommand command = promail::ImapListCommand::parse(parser);
    if (!parser.ok())
        return;
    check(!command.patterns.isEmpty());
    check(!command.recursiveMatch || command.selectSubscribed || command.selectSpecialUse);
    check(!command.selectSubscribed || command.returnSubscribed);
    for (const QByteArray& item : command.statusItems)
        check(item == item.toUpper() && !item.isEmpty());
    // A name every pattern of "*" matches; "%" stops at the separator.
    check(promail::ImapListCommand::wildcardMatch("*", arguments.first(std::min<qsizetype>(arguments.size(), 300))));
    check(!promail::ImapListCommand::wildcardMatch("%", "a/b"));
    for (const QByteArray& pattern : command.patterns)
    {
        const QByteArrayView name = arguments.first(std::min<qsizetype>(arguments.size(), 255));
        command.matches(name);
        if (!pattern.contains('*') && !pattern.contains('%'))
            check(promail::ImapListCommand::wildcardMatch(pattern, pattern));
    }
}

void checkId(QByteArrayView arguments)
{
    promail::ImapParser parser(arguments);
    const promail::ImapIdCommand command = promail::ImapIdCommand::parse(parser);
    if (!parser.ok())
    {
        check(command.fields.isEmpty());
        return;
    }
    check(command.fields.size() <= promail::ImapIdCommand::kMaxPairs);
    for (qsizetype i = 0; i < command.fields.size(); ++i)
    {
        const auto& field = command.fields[i];
        check(field.name.size() <= promail::ImapIdCommand::kMaxField);
        check(!field.value || field.value->size() <= promail::ImapIdCommand::kMaxValue);
        for (qsizetype j = 0; j < i; ++j)
            check(command.fields[j].name.compare(field.name, Qt::CaseInsensitive) != 0);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    checkList(input);
    checkId(input);
    promail::ImapParser status(input);
    promail::parseStatusItems(status);
    return 0;
}
