#include "protocols/imap/imapdeflatestream.h"

#include <zlib.h>

namespace promail
{

namespace
{
// RFC 4978 §3: raw deflate is selected by a negative window size. 2^11 bytes of window and
// memLevel 3 keep our deflater near 14 KiB instead of zlib's default 256 KiB.
constexpr int kDeflateWindowBits = -11;
constexpr int kDeflateMemLevel = 3;
constexpr int kInflateWindowBits = -15; // the largest window a client may use
constexpr qsizetype kChunk = 16 * 1024;
} // namespace

ImapDeflateStream::ImapDeflateStream()
    : m_deflate(std::make_unique<z_stream>()), m_inflate(std::make_unique<z_stream>())
{
    const bool deflating = deflateInit2(m_deflate.get(), Z_DEFAULT_COMPRESSION, Z_DEFLATED, kDeflateWindowBits,
                                        kDeflateMemLevel, Z_DEFAULT_STRATEGY) == Z_OK;
    const bool inflating = inflateInit2(m_inflate.get(), kInflateWindowBits) == Z_OK;
    m_valid = deflating && inflating;
    if (!deflating)
        m_deflate.reset();
    if (!inflating)
        m_inflate.reset();
}

ImapDeflateStream::~ImapDeflateStream()
{
    if (m_deflate)
        deflateEnd(m_deflate.get());
    if (m_inflate)
        inflateEnd(m_inflate.get());
}

QByteArray ImapDeflateStream::compress(QByteArrayView plain)
{
    QByteArray out;
    if (!m_valid)
        return out;
    z_stream& stream = *m_deflate;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    stream.avail_in = uInt(plain.size());
    do
    {
        const qsizetype used = out.size();
        out.resize(used + kChunk);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        stream.avail_out = uInt(kChunk);
        deflate(&stream, Z_SYNC_FLUSH);
        out.resize(used + kChunk - qsizetype(stream.avail_out));
    } while (stream.avail_out == 0);
    return out;
}

QByteArray ImapDeflateStream::inflate(qsizetype maximum)
{
    QByteArray out;
    if (!m_valid || m_failed || m_compressed.isEmpty())
        return out;
    out.resize(maximum);
    z_stream& stream = *m_inflate;
    stream.next_in = reinterpret_cast<Bytef*>(m_compressed.data());
    stream.avail_in = uInt(m_compressed.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(maximum);
    const int result = ::inflate(&stream, Z_SYNC_FLUSH);
    m_compressed.remove(0, m_compressed.size() - qsizetype(stream.avail_in));
    out.resize(maximum - qsizetype(stream.avail_out));
    // Z_BUF_ERROR: no progress possible until more input comes. Z_STREAM_END: the client ended
    // the deflate stream, after which RFC 4978 allows no more data.
    if (result != Z_OK && result != Z_BUF_ERROR)
        m_failed = true;
    return out;
}

} // namespace promail
