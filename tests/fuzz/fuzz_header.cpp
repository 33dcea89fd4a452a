// libFuzzer target for message/: arbitrary bytes as a message must never crash the header parser,
// and every field value must go through the address-list, Message-ID and RFC 2047 decoders safely.
// The positions the parser reports must describe the input exactly.
#include "message/addresslist.h"
#include "message/encodedword.h"
#include "message/headerblock.h"

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

void checkAddresses(QByteArrayView value)
{
    const promail::AddressListParse parsed = promail::parseAddressList(value);
    check(parsed.addresses.size() <= 1000);
    for (const promail::HeaderAddress& address : parsed.addresses)
    {
        const qsizetype at = address.address.indexOf(QLatin1Char('@'));
        check(at > 0 && at < address.address.size() - 1);
    }
    const QString id = promail::parseMessageId(value);
    check(id.isEmpty() || id.contains(QLatin1Char('@')));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 256 * 1024)
        return 0; // a few times the largest header the limits let through
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    const promail::HeaderBlock block = promail::HeaderBlock::parse(input);
    check(block.bodyOffset() >= 0 && block.bodyOffset() <= input.size());
    check(block.fields().size() <= promail::HeaderBlock::kMaxFields);
    // Fields follow each other from the first byte; only the empty line (or a cut CR) lies
    // between the last of them and the body.
    qsizetype end = 0;
    for (const promail::HeaderField& field : block.fields())
    {
        check(field.offset == end && field.length > 0);
        check(!field.name.isEmpty() && input.sliced(field.offset).startsWith(field.name));
        check(field.value.size() <= promail::HeaderBlock::kMaxFieldLength);
        check(!field.value.contains('\n'));
        end = field.offset + field.length;
    }
    check(end <= block.bodyOffset() && block.bodyOffset() - end <= 2);
    check(!block.isComplete() || input[block.bodyOffset() - 1] == '\n');
    if (!block.fields().isEmpty())
        check(block.value(block.fields().first().name) == block.fields().first().value);

    for (const promail::HeaderField& field : block.fields())
    {
        checkAddresses(field.value);
        static_cast<void>(promail::decodeEncodedWords(field.value));
    }
    // The whole input as one value too, so the address parser sees bytes no header shape limits.
    checkAddresses(input.first(qMin(input.size(), qsizetype(64 * 1024))));
    return 0;
}
