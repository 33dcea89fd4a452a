#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

#include <memory>

struct z_stream_s;

namespace promail
{

// Both directions of an IMAP connection after COMPRESS DEFLATE (RFC 4978 §3): raw deflate
// (RFC 1951, no zlib header). Our side compresses with a 2 KiB window and a small hash table,
// which any inflater reads (RFC 4978 §4), so an idle compressed connection stays cheap; the
// client's side may use the full 32 KiB window, so inflating accepts it.
class ImapDeflateStream
{
public:
    ImapDeflateStream();
    ~ImapDeflateStream();
    Q_DISABLE_COPY_MOVE(ImapDeflateStream)

    // False when zlib could not set up its state (out of memory).
    bool isValid() const { return m_valid; }
    // Compresses and flushes (Z_SYNC_FLUSH), so the client can decode each response at once.
    QByteArray compress(QByteArrayView plain);
    // Bytes read from the socket, inflated on demand by inflate().
    void addCompressed(QByteArrayView bytes) { m_compressed.append(bytes); }
    // At most `maximum` inflated bytes: a small input cannot make a large buffer at once (a
    // "zip bomb" is read piece by piece, under the command reader's limits). Empty when more
    // input is needed, or when the stream is broken: see failed().
    QByteArray inflate(qsizetype maximum);
    // The client's stream is corrupt or was ended: nothing more can be read from it.
    bool failed() const { return m_failed; }

private:
    std::unique_ptr<z_stream_s> m_deflate;
    std::unique_ptr<z_stream_s> m_inflate;
    QByteArray m_compressed; // received, not inflated yet
    bool m_valid = false;
    bool m_failed = false;
};

} // namespace promail
