#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace promail
{

// What the first bytes of an implicit-TLS connection say, read before any TLS library sees
// them so the certificate can be chosen by SNI (RFC 6066 §3).
struct ClientHelloPeek
{
    enum class State
    {
        NeedMore, // a valid prefix of a ClientHello; wait for more bytes
        Invalid,  // cannot be a TLS ClientHello (or one larger than kMaxClientHelloBytes)
        Complete, // a whole ClientHello; serverName is set when it carried a host_name
    };
    State state = State::NeedMore;
    std::optional<QString> serverName;
};

// Bytes, record headers included, that the peek looks at: a larger ClientHello is refused.
inline constexpr qsizetype kMaxClientHelloBytes = 16 * 1024;

ClientHelloPeek inspectClientHello(QByteArrayView bytes);

// The server_name host_name (lower-cased) of the ClientHello at the start of bytes. nullopt
// when there is none, the bytes are not a ClientHello, or they are incomplete; *needMore
// (when given) is set only in the last case.
std::optional<QString> parseClientHelloServerName(QByteArrayView bytes, bool* needMore = nullptr);

} // namespace promail
