#pragma once

#include "core/datapaths.h"
#include "core/serverconfig.h"
#include "privileges.h"
#include "protocols/protocolservices.h"

#include <QObject>

#include <memory>

namespace promail
{

class AdminService;
class Database;
class EventLog;
class LocalAdminServer;
class MailServices;
class ProtocolListeners;
class SettingsStore;
class SignalWatcher;
class TlsContext;
class WorkerPool;
struct DirectoryContext;

// promaild's life: start-up in a fixed order (data_dir and keys as root, drop privileges, open
// and migrate the database, serve), SIGHUP reloads certificates, SIGTERM/SIGINT stop gracefully.
class Daemon : public QObject
{
    Q_OBJECT

public:
    explicit Daemon(ServerConfig config, QObject* parent = nullptr);
    ~Daemon() override;
    Q_DISABLE_COPY_MOVE(Daemon)

    Status start();

    // The certificate files in use: [tls] or the generated pair in data_dir/keys.
    static TlsFiles defaultTlsFiles(const ServerConfig& config);
    // What --check-config verifies beyond parsing: the account and the TLS files.
    static Status check(const ServerConfig& config);

Q_SIGNALS:
    void stopped();

private:
    Status prepareDataDir(const RunAs& runAs);
    Status openDatabase();
    void reloadCertificates();
    void stop(int signalNumber);

    ServerConfig m_config;
    DataPaths m_paths;
    std::unique_ptr<TlsContext> m_tls;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SettingsStore> m_settings;
    std::unique_ptr<EventLog> m_eventLog;
    std::unique_ptr<DirectoryContext> m_directory;
    AdminService* m_admin = nullptr;
    LocalAdminServer* m_adminServer = nullptr;
    WorkerPool* m_workers = nullptr;
    std::unique_ptr<MailServices> m_mail;
    ProtocolServices m_smtp; // filled once the database is open; sessions hold a reference
    ProtocolListeners* m_listeners = nullptr;
    SignalWatcher* m_signals = nullptr;
    bool m_stopping = false;
};

} // namespace promail
