// libFuzzer target for the DKIM canonicalizers (queue/): every message a local sender submits
// goes through them before it is signed. Arbitrary bytes must never crash them, the relaxed
// forms must have the shape RFC 6376 §3.4.2/§3.4.4 gives them, and feeding the body in two
// chunks split anywhere must give the same bytes as feeding it at once.
#include "message/headerblock.h"
#include "queue/dkimcanonicalization.h"
#include "queue/dkimsigner.h"

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

QByteArray canonicalBody(promail::DkimCanonicalization mode, QByteArrayView body, qsizetype split)
{
    promail::DkimBodyCanonicalizer canonicalizer(mode);
    QByteArray out;
    canonicalizer.add(body.first(split), out);
    canonicalizer.add(body.sliced(split), out);
    canonicalizer.finish(out);
    return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const promail::HeaderBlock header = promail::HeaderBlock::parse(input);
    const QByteArray headerBytes = input.first(header.bodyOffset()).toByteArray();
    for (const promail::HeaderField& field : header.fields())
    {
        const QByteArray relaxed = promail::canonicalHeaderField(promail::DkimCanonicalization::Relaxed,
                                                                 input.sliced(field.offset, field.length));
        check(relaxed.endsWith("\r\n") && relaxed.count('\n') == 1 && relaxed.count('\r') == 1);
        const qsizetype colon = relaxed.indexOf(':');
        check(!relaxed.contains("  ") && !relaxed.contains(" \r\n") && (colon < 0 || relaxed.at(colon + 1) != ' '));
        check(relaxed.left(colon) == relaxed.left(colon).toLower());
        const QByteArray simple = promail::canonicalHeaderField(promail::DkimCanonicalization::Simple,
                                                                input.sliced(field.offset, field.length));
        check(simple.endsWith("\r\n"));
    }
    const QList<QByteArray> names = promail::DkimSigner::signedFieldNames(header);
    check(!names.isEmpty() && names.first() == "from");
    static_cast<void>(promail::DkimSigner::headerHashInput(promail::DkimCanonicalization::Relaxed, headerBytes, header,
                                                           names, QByteArray("DKIM-Signature: b=")));

    const QByteArrayView body = input.sliced(header.bodyOffset());
    const qsizetype split = body.isEmpty() ? 0 : qsizetype(data[0]) % (body.size() + 1);
    for (const auto mode : {promail::DkimCanonicalization::Simple, promail::DkimCanonicalization::Relaxed})
    {
        const QByteArray whole = canonicalBody(mode, body, 0);
        check(whole == canonicalBody(mode, body, split));
        check(whole.isEmpty() ? mode == promail::DkimCanonicalization::Relaxed : whole.endsWith("\r\n"));
        check(!whole.endsWith("\r\n\r\n"));
        if (mode == promail::DkimCanonicalization::Relaxed)
            check(!whole.contains("  ") && !whole.contains(" \r\n") && !whole.contains('\t'));
    }
    return 0;
}
