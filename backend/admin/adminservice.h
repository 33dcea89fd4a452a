#pragma once

#include "core/result.h"
#include "directory/directorycontext.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace promail
{

class DkimKeyStore;
class EventLog;
class ForwardingHosts;
class LoginBans;
class Params;
class SettingsStore;
class Spool;

// Who is calling: recorded in the event log; read-only callers may not change anything.
struct Actor
{
    QString name; // e.g. "local:uid=0"
    bool readOnly = false;
};

// Facts about the running daemon that system.status and tls.list report.
struct SystemInfo
{
    QString hostname;
    QString dataDir;
    QDateTime startedAt;
    std::function<QJsonArray()> certificates; // tls.list items
};

// What the operations work on. Optional parts (nullptr) leave their methods out.
struct AdminContext
{
    const DirectoryContext& directory;
    const EventLog& eventLog;
    SettingsStore& settings;
    SystemInfo system;
    const Spool* spool = nullptr;
    LoginBans* bans = nullptr;
    ForwardingHosts* forwardingHosts = nullptr;
    const DkimKeyStore* dkimKeys = nullptr;
};

// Every administrative operation, by its API method name (docs/admin-api.md). The local socket,
// REST and WebSocket transports are thin layers over call(); nothing else changes configuration.
class AdminService : public QObject
{
    Q_OBJECT

public:
    explicit AdminService(AdminContext context, QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(AdminService)

    Result<QJsonValue> call(const QString& method, const QJsonObject& params, const Actor& actor);
    QStringList methods() const;

Q_SIGNALS:
    // After every successful change: "mailboxes.created", "settings.changed", ...
    void eventOccurred(const QString& event, const QJsonObject& payload);

private:
    struct Operation
    {
        bool mutates = false;
        QString targetKey; // the parameter that names the changed object, for the event log
        std::function<Result<QJsonValue>(Params&)> run;
    };

    void addDirectoryOperations();
    void addDkimOperations();
    void addPolicyOperations();
    void addQueueOperations();
    void addSystemOperations();
    void add(const QString& method, Operation operation);

    AdminContext m_context;
    QHash<QString, Operation> m_operations;
};

} // namespace promail
