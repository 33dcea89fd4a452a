// libFuzzer target: the SNI peek reads the first bytes of every implicit-TLS connection before
// any authentication, so it must survive arbitrary input (STYLE.md §16).
#include "net/clienthello.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bool needMore = false;
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const std::optional<QString> name = promail::parseClientHelloServerName(bytes, &needMore);
    // A name is only ever returned from a complete hello, and is never empty.
    if (name && (needMore || name->isEmpty()))
        __builtin_trap();
    return 0;
}
