#include "admin/localadminserver.h"

#include "admin/adminservice.h"
#include "core/logging.h"
#include "shared/rpc.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>

#include <sys/socket.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QString peerName(const QLocalSocket* socket)
{
    struct ucred credentials = {};
    socklen_t length = sizeof credentials;
    if (::getsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0)
        return u"local:uid=%1"_s.arg(credentials.uid);
    return u"local:uid=unknown"_s;
}

} // namespace

LocalAdminServer::LocalAdminServer(AdminService& service, QObject* parent)
    : QObject(parent), m_service(service), m_server(new QLocalServer(this))
{
    connect(m_server, &QLocalServer::newConnection, this, &LocalAdminServer::acceptConnections);
}

LocalAdminServer::~LocalAdminServer()
{
    close();
}

Status LocalAdminServer::listen(const QString& path)
{
    QLocalServer::removeServer(path); // a socket file left by a crash
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(path))
        return Error::internal(u"cannot listen on %1: %2"_s.arg(path, m_server->errorString()));
    if (::chmod(QFile::encodeName(path).constData(), 0600) != 0)
        return Error::internal(u"cannot set mode 0600 on %1"_s.arg(path));
    m_path = path;
    qCInfo(lcAdmin).noquote() << "admin socket listening on" << path;
    return {};
}

void LocalAdminServer::close()
{
    if (m_server->isListening())
    {
        m_server->close();
        QFile::remove(m_path);
    }
}

void LocalAdminServer::acceptConnections()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection())
    {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readRequests(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        socket->setProperty("promail.actor", peerName(socket));
    }
}

void LocalAdminServer::readRequests(QLocalSocket* socket)
{
    const QString actor = socket->property("promail.actor").toString();
    while (socket->canReadLine())
    {
        const QByteArray line = socket->readLine(rpc::kMaxRequestLineBytes + 1);
        if (!line.endsWith('\n'))
            break; // longer than the limit: handled below
        if (line.trimmed().isEmpty())
            continue;
        socket->write(handle(line, actor));
    }
    // Hard limit checked before buffering more: an unterminated line past 1 MiB ends the session.
    if (socket->bytesAvailable() > rpc::kMaxRequestLineBytes)
    {
        socket->write(
            rpc::encodeError(QJsonValue(), Error{ErrorCode::TooLarge, u"request line longer than 1 MiB"_s, {}}));
        socket->disconnectFromServer();
    }
}

QByteArray LocalAdminServer::handle(const QByteArray& line, const QString& actor)
{
    const rpc::ParsedRequest parsed = rpc::parseRequest(line);
    if (!parsed.request)
        return rpc::encodeError(parsed.id, parsed.error);
    const rpc::Request& request = *parsed.request;
    const auto result = m_service.call(request.method, request.params, Actor{actor, false});
    if (!result)
        return rpc::encodeError(request.id, result.error());
    return rpc::encodeResult(request.id, *result);
}

} // namespace promail
