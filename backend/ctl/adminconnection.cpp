#include "adminconnection.h"

#include <QDeadlineTimer>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Responses may be long lists; this only stops a runaway peer from eating all memory.
constexpr qsizetype kMaxResponseLineBytes = 64 * 1024 * 1024;
} // namespace

AdminConnection::AdminConnection(const QString& socketPath, std::chrono::milliseconds timeout)
    // QLocalSocket reads a relative name as relative to the temp directory, not the working one.
    : m_socketPath(QFileInfo(socketPath).absoluteFilePath()), m_timeout(timeout)
{
}

std::optional<ApiError> AdminConnection::connectToDaemon()
{
    if (m_socket.state() == QLocalSocket::ConnectedState)
        return std::nullopt;
    m_socket.connectToServer(m_socketPath);
    if (m_socket.waitForConnected(static_cast<int>(m_timeout.count())))
        return std::nullopt;
    switch (m_socket.error())
    {
    case QLocalSocket::ServerNotFoundError:
    case QLocalSocket::ConnectionRefusedError:
        return ApiError{ErrorCode::Unavailable, u"cannot connect to %1: is promaild running?"_s.arg(m_socketPath), {}};
    case QLocalSocket::SocketAccessError:
        return ApiError{
            ErrorCode::Forbidden,
            u"cannot connect to %1: permission denied (run as root or as promaild's user)"_s.arg(m_socketPath),
            {}};
    default:
        return ApiError{
            ErrorCode::Unavailable, u"cannot connect to %1: %2"_s.arg(m_socketPath, m_socket.errorString()), {}};
    }
}

std::optional<ApiError> AdminConnection::readLine(QByteArray* line)
{
    const QDeadlineTimer deadline(m_timeout);
    for (;;)
    {
        const qsizetype newline = m_buffer.indexOf('\n');
        if (newline >= 0)
        {
            *line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            return std::nullopt;
        }
        if (m_buffer.size() > kMaxResponseLineBytes)
            return ApiError{ErrorCode::TooLarge, u"the response from %1 is too large"_s.arg(m_socketPath), {}};
        if (m_socket.bytesAvailable() > 0)
        {
            m_buffer += m_socket.readAll();
            continue;
        }
        if (m_socket.state() != QLocalSocket::ConnectedState)
            return ApiError{ErrorCode::Unavailable,
                            u"promaild closed the connection on %1 before it answered"_s.arg(m_socketPath),
                            {}};
        if (deadline.hasExpired())
            return ApiError{ErrorCode::Unavailable,
                            u"promaild did not answer on %1 within %2 seconds"_s.arg(m_socketPath)
                                .arg(std::chrono::duration_cast<std::chrono::seconds>(m_timeout).count()),
                            {}};
        m_socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    }
}

rpc::Response AdminConnection::call(const QString& method, const QJsonObject& params)
{
    rpc::Response failed{QJsonValue::Null, QJsonValue::Undefined, std::nullopt};
    if (const auto error = connectToDaemon())
    {
        failed.error = error;
        return failed;
    }
    const int id = m_nextId++;
    m_socket.write(rpc::encodeRequest(id, method, params));
    if (!m_socket.waitForBytesWritten(static_cast<int>(m_timeout.count())) && m_socket.bytesToWrite() > 0)
    {
        failed.error =
            ApiError{ErrorCode::Unavailable, u"cannot send to %1: %2"_s.arg(m_socketPath, m_socket.errorString()), {}};
        return failed;
    }
    QByteArray line;
    if (const auto error = readLine(&line))
    {
        failed.error = error;
        return failed;
    }
    const rpc::ParsedResponse parsed = rpc::parseResponse(line);
    if (!parsed.response)
    {
        failed.error = ApiError::internal(u"unreadable answer from promaild: %1"_s.arg(parsed.error));
        return failed;
    }
    // Errors about the envelope itself carry id null; anything else must answer this request.
    if (!parsed.response->error && parsed.response->id.toInt(-1) != id)
    {
        failed.error = ApiError::internal(u"promaild's answer to request %1 carries another id"_s.arg(id));
        return failed;
    }
    return *parsed.response;
}

} // namespace promail
