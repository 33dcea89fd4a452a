#pragma once

#include "core/result.h"

#include <QObject>

class QLocalServer;
class QLocalSocket;

namespace promail
{

class AdminService;

// The local admin socket data_dir/run/admin.sock (mode 0600): JSON RPC, one object per line,
// {"id","method","params"} → {"id","result"} or {"id","error"} (docs/admin-api.md). The caller
// is identified by the socket peer's uid (SO_PEERCRED), recorded as "local:uid=N".
class LocalAdminServer : public QObject
{
    Q_OBJECT

public:
    explicit LocalAdminServer(AdminService& service, QObject* parent = nullptr);
    ~LocalAdminServer() override;
    Q_DISABLE_COPY_MOVE(LocalAdminServer)

    Status listen(const QString& path);
    void close();

private:
    void acceptConnections();
    void readRequests(QLocalSocket* socket);
    QByteArray handle(const QByteArray& line, const QString& actor);

    AdminService& m_service;
    QLocalServer* m_server = nullptr;
    QString m_path;
};

} // namespace promail
