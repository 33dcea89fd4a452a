// ImapSession: COMPRESS (RFC 4978). After "OK DEFLATE active" every byte in both directions
// goes through ImapDeflateStream, between the socket (TLS included) and the command reader.
#include "protocols/imap/imapdeflatestream.h"
#include "protocols/imap/imapsession.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::compress(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray mechanism = parser.atom();
    if (!requireEnd(request))
        return;
    // RFC 4978 §3: NO [COMPRESSIONACTIVE] when a layer is active; BAD for an unknown mechanism.
    if (m_deflate)
    {
        no(request, "[COMPRESSIONACTIVE] DEFLATE is active already"_ba);
        return;
    }
    if (mechanism.toUpper() != "DEFLATE")
    {
        bad(request.tag, "Unknown compression mechanism"_ba);
        return;
    }
    auto stream = std::make_unique<ImapDeflateStream>();
    if (!stream->isValid())
    {
        no(request, "[UNAVAILABLE] Cannot start compression now"_ba);
        return;
    }
    ok(request, "DEFLATE active"_ba);
    m_deflate = std::move(stream);
    // RFC 4978 §3: compression starts right after the CRLF of the command and of the OK, so bytes
    // already read behind the command are compressed ones.
    if (!m_input.isEmpty())
        m_deflate->addCompressed(std::exchange(m_input, {}));
}

QByteArray ImapSession::readSocket()
{
    if (!m_socket)
        return {};
    if (!m_deflate)
        return m_socket->read(kSocketBuffer);
    QByteArray plain = m_deflate->inflate(kSocketBuffer);
    while (plain.isEmpty() && !m_deflate->failed())
    {
        const QByteArray more = m_socket->read(kSocketBuffer);
        if (more.isEmpty())
            break;
        m_deflate->addCompressed(more);
        plain = m_deflate->inflate(kSocketBuffer);
    }
    if (plain.isEmpty() && m_deflate->failed())
        closeWith("* BYE [PARSE] Cannot decompress the input\r\n"_ba);
    return plain;
}

QByteArray ImapSession::compressed(const QByteArray& bytes)
{
    return m_deflate ? m_deflate->compress(bytes) : bytes;
}

} // namespace promail
