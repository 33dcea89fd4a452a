#pragma once

#include "shared/rpc.h"

#include <QJsonObject>
#include <QLocalSocket>
#include <QString>

#include <chrono>
#include <optional>

namespace promail
{

// promailctl's side of the admin socket: one request line out, one response line back. A CLI has
// nothing else to do meanwhile, so it blocks (waitFor*) with a timeout instead of running an
// event loop. Connects on the first call, so usage errors never touch the socket.
class AdminConnection
{
public:
    explicit AdminConnection(const QString& socketPath, std::chrono::milliseconds timeout = std::chrono::minutes(2));
    Q_DISABLE_COPY_MOVE(AdminConnection)

    // Transport failures come back as an error response too, so callers handle one kind of error.
    rpc::Response call(const QString& method, const QJsonObject& params);

    QString socketPath() const { return m_socketPath; }

private:
    std::optional<ApiError> connectToDaemon();
    std::optional<ApiError> readLine(QByteArray* line);

    QString m_socketPath;
    std::chrono::milliseconds m_timeout;
    QLocalSocket m_socket;
    QByteArray m_buffer;
    int m_nextId = 1;
};

} // namespace promail
