#pragma once

#include "core/result.h"

#include <QList>
#include <QMap>
#include <QString>

namespace promail
{

// An address a service listens on: `127.0.0.1:25` or `[::1]:25`.
struct ListenAddress
{
    QString host; // IP literal without brackets
    quint16 port = 0;

    QString toString() const;
    static Result<ListenAddress> parse(const QString& text);
};

struct TlsFiles
{
    QString certPath; // PEM: the certificate, then its chain
    QString keyPath;  // PEM: the private key
};

// The INI file of ARCHITECTURE.md "Interface contract": only what is needed before the
// database opens. Everything an admin tunes at run time is a database setting instead.
struct ServerConfig
{
    static inline const QString kDefaultPath = QStringLiteral("/etc/promail/promaild.conf");

    QString path;     // the file it was read from
    QString hostname; // [server] hostname; the machine's host name when absent
    QString dataDir = QStringLiteral("/var/lib/promail");
    QString user; // [server] user: drop to this account when started as root

    QMap<QString, QList<ListenAddress>> listen; // service name → addresses; absent = off
    std::optional<TlsFiles> tls;                // [tls]; a self-signed pair is generated when absent
    QList<std::pair<QString, TlsFiles>> sniTls; // [tls:HOST] sections, in file order
    QString databaseUrl;                        // [database] url; empty = SQLite in data_dir
    QString dnsResolver = QStringLiteral("system");
    QString dnsTrustAnchor;
    quint16 outboundSmtpPort = 25;

    // The [listen] keys, one per service.
    static const QStringList& serviceNames();

    static Result<ServerConfig> load(const QString& path);
    static Result<ServerConfig> parse(QByteArrayView text, const QString& path);
};

} // namespace promail
