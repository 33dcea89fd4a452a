// libFuzzer target: the INI reader and the configuration built from it see files an admin
// (or an attacker with write access to a drop-in) controls.
#include "core/serverconfig.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView text(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto config = promail::ServerConfig::parse(text, QStringLiteral("/fuzz/promaild.conf"));
    if (config.ok())
    {
        for (const auto& addresses : config->listen)
        {
            for (const auto& address : addresses)
                (void)promail::ListenAddress::parse(address.toString());
        }
    }
    return 0;
}
