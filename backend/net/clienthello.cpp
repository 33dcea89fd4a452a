#include "net/clienthello.h"

#include <QByteArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr quint8 kContentTypeHandshake = 22; // RFC 8446 §5.1
constexpr quint8 kHandshakeClientHello = 1;  // RFC 8446 §4
constexpr quint16 kExtensionServerName = 0;  // RFC 6066 §3
constexpr quint8 kNameTypeHostName = 0;      // RFC 6066 §3
constexpr qsizetype kRecordHeaderSize = 5;
constexpr qsizetype kMaxRecordLength = 16384; // RFC 8446 §5.1: 2^14
constexpr qsizetype kMaxHostNameLength = 255; // RFC 1035 §2.3.4

// Bounds-checked reader over one complete handshake message: any read past the end fails and
// leaves the reader failed, so a chain of reads needs one check at the end.
class Reader
{
public:
    explicit Reader(QByteArrayView bytes) : m_bytes(bytes) {}

    bool failed() const { return m_failed; }
    bool atEnd() const { return m_pos == m_bytes.size(); }
    qsizetype remaining() const { return m_bytes.size() - m_pos; }

    quint32 number(int width)
    {
        if (m_failed || remaining() < width)
        {
            m_failed = true;
            return 0;
        }
        quint32 value = 0;
        for (int i = 0; i < width; ++i)
            value = (value << 8) | static_cast<quint8>(m_bytes[m_pos++]);
        return value;
    }

    QByteArrayView bytes(qsizetype length)
    {
        if (m_failed || length < 0 || remaining() < length)
        {
            m_failed = true;
            return {};
        }
        const QByteArrayView view = m_bytes.sliced(m_pos, length);
        m_pos += length;
        return view;
    }

    // A vector with a width-byte length prefix (RFC 8446 §3.4) whose length is within bounds.
    QByteArrayView vector(int width, qsizetype min, qsizetype max)
    {
        const qsizetype length = number(width);
        if (length < min || length > max)
            m_failed = true;
        return bytes(length);
    }

private:
    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

// RFC 6066 §3: "HostName" is an ASCII DNS host name without a trailing dot.
std::optional<QString> hostName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > kMaxHostNameLength || name.endsWith('.') || name.startsWith('.'))
        return std::nullopt;
    for (char c : name)
    {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_';
        if (!ok)
            return std::nullopt;
    }
    return QString::fromLatin1(name).toLower();
}

// RFC 6066 §3: ServerNameList server_name_list<1..2^16-1>; the first host_name wins, other
// name types are skipped.
bool parseServerNameExtension(QByteArrayView data, std::optional<QString>* serverName)
{
    Reader extension(data);
    Reader list(extension.vector(2, 1, 0xffff));
    if (extension.failed() || !extension.atEnd())
        return false;
    while (!list.atEnd())
    {
        const quint32 type = list.number(1);
        const QByteArrayView name = list.vector(2, 1, 0xffff);
        if (list.failed())
            return false;
        if (type == kNameTypeHostName && !serverName->has_value())
        {
            *serverName = hostName(name);
            if (!serverName->has_value())
                return false;
        }
    }
    return true;
}

// RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2: the ClientHello body after the handshake header.
ClientHelloPeek parseBody(QByteArrayView body)
{
    const ClientHelloPeek invalid{ClientHelloPeek::State::Invalid, std::nullopt};
    Reader hello(body);
    const quint32 legacyVersion = hello.number(2);
    hello.bytes(32);        // random
    hello.vector(1, 0, 32); // legacy_session_id
    const qsizetype suites = hello.vector(2, 2, 0xfffe).size();
    hello.vector(1, 1, 0xff); // legacy_compression_methods
    if (hello.failed() || (legacyVersion >> 8) != 3 || suites % 2 != 0)
        return invalid;

    ClientHelloPeek result{ClientHelloPeek::State::Complete, std::nullopt};
    if (hello.atEnd())
        return result; // RFC 5246 §7.4.1.2: a TLS 1.2 hello may carry no extensions at all
    Reader extensions(hello.vector(2, 0, 0xffff));
    if (hello.failed() || !hello.atEnd())
        return invalid;
    bool sawServerName = false;
    while (!extensions.atEnd())
    {
        const quint32 type = extensions.number(2);
        const QByteArrayView data = extensions.vector(2, 0, 0xffff);
        if (extensions.failed())
            return invalid;
        if (type == kExtensionServerName)
        {
            // RFC 8446 §4.2: no more than one extension of the same type.
            if (sawServerName || !parseServerNameExtension(data, &result.serverName))
                return invalid;
            sawServerName = true;
        }
    }
    return result;
}

// Checks what there is of a record header: a prefix may still become a valid one.
bool recordHeaderPrefixValid(QByteArrayView header)
{
    if (header.size() >= 1 && static_cast<quint8>(header[0]) != kContentTypeHandshake)
        return false;
    if (header.size() >= 2 && static_cast<quint8>(header[1]) != 3)
        return false;
    if (header.size() >= 3 && static_cast<quint8>(header[2]) > 4)
        return false;
    if (header.size() >= 4 && static_cast<quint8>(header[3]) > (kMaxRecordLength >> 8))
        return false;
    return true;
}
} // namespace

ClientHelloPeek inspectClientHello(QByteArrayView bytes)
{
    const ClientHelloPeek needMore{ClientHelloPeek::State::NeedMore, std::nullopt};
    const ClientHelloPeek invalid{ClientHelloPeek::State::Invalid, std::nullopt};

    // RFC 8446 §5.1: a handshake message may be fragmented over several records; gather the
    // fragments until the ClientHello is whole.
    QByteArray message;
    qsizetype pos = 0;
    while (true)
    {
        if (pos >= kMaxClientHelloBytes)
            return invalid;
        const QByteArrayView header = bytes.sliced(pos).first(qMin(kRecordHeaderSize, bytes.size() - pos));
        if (!recordHeaderPrefixValid(header))
            return invalid;
        if (header.size() < kRecordHeaderSize)
            return needMore;
        const qsizetype length = (static_cast<quint8>(header[3]) << 8) | static_cast<quint8>(header[4]);
        // RFC 8446 §5.1: no zero-length handshake fragments.
        if (length == 0 || length > kMaxRecordLength || pos + kRecordHeaderSize + length > kMaxClientHelloBytes)
            return invalid;
        const qsizetype available = qMin(length, bytes.size() - pos - kRecordHeaderSize);
        message.append(bytes.sliced(pos + kRecordHeaderSize, available));

        if (message.size() >= 1 && static_cast<quint8>(message[0]) != kHandshakeClientHello)
            return invalid;
        if (message.size() >= 4)
        {
            const qsizetype bodyLength = (static_cast<quint8>(message[1]) << 16) |
                                         (static_cast<quint8>(message[2]) << 8) | static_cast<quint8>(message[3]);
            if (4 + bodyLength > kMaxClientHelloBytes)
                return invalid;
            // Nothing may follow the ClientHello in its record: the client waits for the server.
            if (message.size() > 4 + bodyLength)
                return invalid;
            if (message.size() == 4 + bodyLength)
                return available == length ? parseBody(QByteArrayView(message).sliced(4)) : invalid;
        }
        if (available < length)
            return needMore;
        pos += kRecordHeaderSize + length;
    }
}

std::optional<QString> parseClientHelloServerName(QByteArrayView bytes, bool* needMore)
{
    const ClientHelloPeek peek = inspectClientHello(bytes);
    if (needMore)
        *needMore = peek.state == ClientHelloPeek::State::NeedMore;
    return peek.state == ClientHelloPeek::State::Complete ? peek.serverName : std::nullopt;
}

} // namespace promail
