// libFuzzer target for shared/address.h: arbitrary bytes, read as UTF-8, must never crash the
// parsers, and whatever they accept must parse again to the same thing.
#include "shared/address.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QString>

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
    if (size > 4096)
        return 0; // the parsers see command arguments and protocol lines, far shorter than this
    const QString input = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    const promail::ParsedDomain domain = promail::parseDomainName(input);
    check(domain.domain.has_value() != !domain.error.isEmpty());
    if (domain.domain)
    {
        check(domain.domain->ascii.size() <= 253);
        check(domain.domain->ascii == domain.domain->ascii.toLower());
        const promail::ParsedDomain again = promail::parseDomainName(domain.domain->ascii);
        check(again.domain && again.domain->ascii == domain.domain->ascii);
    }

    const promail::ParsedAddress address = promail::parseMailAddress(input);
    check(address.address.has_value() != !address.error.isEmpty());
    if (address.address)
    {
        check(address.address->localPart.toUtf8().size() <= 64);
        const promail::ParsedAddress again = promail::parseMailAddress(address.address->toString());
        check(again.address && again.address->toString() == address.address->toString());
    }
    return 0;
}
