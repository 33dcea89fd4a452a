#include "admin/localadminserver.h"

#include "admin/adminservice.h"
#include "core/logging.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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

QByteArray encode(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray errorReply(const QJsonValue& id, const Error& error)
{
    return encode({{u"id"_s, id}, {u"error"_s, error.toJson()}});
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
        const QByteArray line = socket->readLine(kMaxLine + 1);
        if (!line.endsWith('\n'))
            break; // longer than the limit: handled below
        if (line.trimmed().isEmpty())
            continue;
        socket->write(handle(line, actor));
    }
    // Hard limit checked before buffering more: an unterminated line past 1 MiB ends the session.
    if (socket->bytesAvailable() > kMaxLine)
    {
        socket->write(errorReply(QJsonValue(), Error{ErrorCode::TooLarge, u"request line longer than 1 MiB"_s, {}}));
        socket->disconnectFromServer();
    }
}

QByteArray LocalAdminServer::handle(const QByteArray& line, const QString& actor)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return errorReply(QJsonValue(), Error::invalid({}, u"the request is not a JSON object: %1"_s.arg(parseError.errorString())));
    const QJsonObject request = document.object();
    const QJsonValue id = request.value(u"id"_s);
    const QJsonValue method = request.value(u"method"_s);
    const QJsonValue params = request.value(u"params"_s);
    if (!method.isString())
        return errorReply(id, Error::invalid(u"method"_s, u"'method' must be a string"_s));
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return errorReply(id, Error::invalid(u"params"_s, u"'params' must be an object"_s));
    const auto result = m_service.call(method.toString(), params.toObject(), Actor{actor, false});
    if (!result)
        return errorReply(id, result.error());
    return encode({{u"id"_s, id}, {u"result"_s, *result}});
}

} // namespace promail
