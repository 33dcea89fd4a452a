// libFuzzer target for protocols/imap/modifiedutf7: arbitrary bytes as a mailbox name on the wire
// must never crash the decoder; whatever it accepts must encode back to exactly the same bytes
// (there is one canonical form), and any UTF-8 name must encode to printable US-ASCII that
// decodes back to it.
#include "protocols/imap/modifiedutf7.h"

#include <QString>

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
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    if (const std::optional<QByteArray> decoded = promail::ModifiedUtf7::decode(input))
        check(promail::ModifiedUtf7::encode(*decoded) == input);
    // As UTF-8 (invalid sequences become U+FFFD, as encode() documents).
    const QByteArray utf8 = QString::fromUtf8(input).toUtf8();
    const QByteArray wire = promail::ModifiedUtf7::encode(utf8);
    for (char c : wire)
        check(c >= 0x20 && c <= 0x7e);
    check(promail::ModifiedUtf7::decode(wire) == std::optional<QByteArray>(utf8));
    return 0;
}
