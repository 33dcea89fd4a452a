#include "daemon.h"

#include "admin/adminservice.h"
#include "admin/directorycodec.h"
#include "admin/localadminserver.h"
#include "core/logging.h"
#include "directory/directorycontext.h"
#include "mailservices.h"
#include "net/tlscontext.h"
#include "net/workerpool.h"
#include "protocollisteners.h"
#include "signalwatcher.h"
#include "storage/database.h"
#include "storage/eventlog.h"
#include "storage/migrations.h"
#include "storage/settingsstore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <chrono>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

Daemon::Daemon(ServerConfig config, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_paths(m_config.dataDir), m_tls(std::make_unique<TlsContext>())
{
}

Daemon::~Daemon() = default;

TlsFiles Daemon::defaultTlsFiles(const ServerConfig& config)
{
    if (config.tls)
        return *config.tls;
    const DataPaths paths(config.dataDir);
    return {paths.defaultCertificate(), paths.defaultPrivateKey()};
}

Status Daemon::check(const ServerConfig& config)
{
    if (const auto runAs = Privileges::plan(config.user); !runAs)
        return runAs.error();
    if (config.tls || !config.sniTls.isEmpty())
    {
        TlsContext tls;
        if (const Status loaded = tls.load(defaultTlsFiles(config), config.sniTls); !loaded && config.tls)
            return loaded;
    }
    if (!config.dnsTrustAnchor.isEmpty() && !QFileInfo(config.dnsTrustAnchor).isReadable())
        return Error::invalid(u"dns.trust_anchor"_s,
                              u"[dns] trust_anchor: cannot read %1"_s.arg(config.dnsTrustAnchor));
    return {};
}

Status Daemon::prepareDataDir(const RunAs& runAs)
{
    if (const Status created = m_paths.create(runAs.uid, runAs.gid); !created)
        return Error::invalid(u"server.data_dir"_s, u"[server] data_dir: "_s + created.error().message);
    if (m_config.tls)
        return {};
    const TlsFiles files = defaultTlsFiles(m_config);
    if (QFile::exists(files.certPath) && QFile::exists(files.keyPath))
        return {};
    QFile::remove(files.certPath);
    QFile::remove(files.keyPath);
    if (const Status generated = TlsContext::generateSelfSigned(m_config.hostname, files.certPath, files.keyPath);
        !generated)
        return generated;
    for (const QString& path : {files.certPath, files.keyPath})
    {
        if (runAs.dropNeeded && ::chown(QFile::encodeName(path).constData(), runAs.uid, runAs.gid) != 0)
            return Error::internal(u"cannot change the owner of %1"_s.arg(path));
    }
    qCInfo(lcCore).noquote() << "generated a self-signed certificate for" << m_config.hostname << "in"
                             << m_paths.keys();
    return {};
}

Status Daemon::openDatabase()
{
    auto database = Database::open(m_config.databaseUrl, m_paths.database());
    if (!database)
        return database.error();
    m_database = std::move(database.value());
    if (m_database->dialect() == SqlDialect::Sqlite)
        QFile::setPermissions(m_paths.database(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (const Status migrated = Migrations::apply(*m_database); !migrated)
        return migrated;
    m_settings = std::make_unique<SettingsStore>(*m_database);
    if (const Status loaded = m_settings->load(); !loaded)
        return loaded;
    m_eventLog = std::make_unique<EventLog>(*m_database);
    m_directory = std::make_unique<DirectoryContext>(DirectoryContext{*m_database, *m_settings, m_paths});
    return {};
}

Status Daemon::start()
{
    const quint64 fileLimit = Privileges::raiseFileLimit();
    const auto runAs = Privileges::plan(m_config.user);
    if (!runAs)
        return runAs.error();
    if (const Status prepared = prepareDataDir(*runAs); !prepared)
        return prepared;
    if (const Status loaded = m_tls->load(defaultTlsFiles(m_config), m_config.sniTls); !loaded)
        return loaded;

    // Bound as root (ports below 1024), served only once the event loop runs, after set-up.
    m_workers = new WorkerPool(0, this);
    m_listeners = new ProtocolListeners(*m_workers, *m_tls, m_smtp, this);
    if (const Status listening = m_listeners->listen(m_config); !listening)
        return listening;
    if (const Status dropped = Privileges::drop(*runAs); !dropped)
        return dropped;
    ::umask(0077);

    if (const Status opened = openDatabase(); !opened)
        return opened;
    m_mail = std::make_unique<MailServices>(*m_directory, *m_tls, m_config.hostname);
    if (const Status recovered = m_mail->recover(); !recovered)
        return recovered;
    m_smtp = m_mail->smtp();
    m_workers->start();

    SystemInfo system{m_config.hostname, m_paths.root(), QDateTime::currentDateTimeUtc(),
                      [this]
                      {
                          QJsonArray items;
                          for (const CertificateInfo& info : m_tls->certificates())
                          {
                              items.append(QJsonObject{{u"host"_s, info.host},
                                                       {u"fingerprint_sha256"_s, info.sha256Fingerprint},
                                                       {u"subject"_s, info.subjectCommonName},
                                                       {u"not_after"_s, codec::timestamp(info.notAfter)}});
                          }
                          return items;
                      }};
    m_admin = new AdminService(AdminContext{*m_directory, *m_eventLog, *m_settings, std::move(system), &m_mail->spool(),
                                            &m_mail->bans(), &m_mail->forwardingHosts(), &m_mail->dkimKeys()},
                               this);
    m_adminServer = new LocalAdminServer(*m_admin, this);
    if (const Status listening = m_adminServer->listen(m_paths.adminSocket()); !listening)
        return listening;

    for (const QString& service : ProtocolListeners::unservedServices(m_config))
        qCWarning(lcCore).noquote() << "[listen]" << service << "is configured, but this build does not serve it yet";

    m_signals = new SignalWatcher(this);
    connect(m_signals, &SignalWatcher::reloadRequested, this, &Daemon::reloadCertificates);
    connect(m_signals, &SignalWatcher::terminationRequested, this, &Daemon::stop);

    sd_notify(0, "READY=1\nSTATUS=serving");
    qCInfo(lcCore).noquote() << "promaild ready:" << m_config.hostname << "data in" << m_paths.root()
                             << "open-file limit" << fileLimit;
    return {};
}

void Daemon::reloadCertificates()
{
    sd_notify(0, "RELOADING=1");
    if (const Status reloaded = m_tls->reload(); !reloaded)
        qCWarning(lcCore).noquote() << "certificate reload failed, keeping the old ones:" << reloaded.error().message;
    else
        qCInfo(lcCore) << "reloaded TLS certificates";
    sd_notify(0, "READY=1");
}

void Daemon::stop(int signalNumber)
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcCore) << "signal" << signalNumber << "received: stopping";
    sd_notify(0, "STOPPING=1");
    m_adminServer->close();
    m_listeners->close();
    // In-flight sessions get a bounded time to finish their current command; then every
    // pending commit completes before the process exits.
    if (!m_workers->stop(10s))
        qCWarning(lcCore) << "worker threads did not finish within 10 s";
    m_mail->stop();
    Q_EMIT stopped();
}

} // namespace promail
