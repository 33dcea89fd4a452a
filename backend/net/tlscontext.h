#pragma once

#include "core/result.h"
#include "core/serverconfig.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QReadWriteLock>
#include <QSslConfiguration>
#include <QString>

#include <memory>

namespace promail
{

struct CertificateInfo
{
    QString host;              // "" for the default certificate
    QString sha256Fingerprint; // "AB:CD:…", as `openssl x509 -fingerprint -sha256` prints it
    QString subjectCommonName;
    QDateTime notAfter;
};

// The server certificates: a default one plus one per host name chosen by SNI (RFC 6066 §3).
// Readers (configurationFor, certificates) may run in any worker thread at any time;
// load/reload swap in a whole new set at once, so a handshake never sees half of a reload.
class TlsContext
{
    Q_DISABLE_COPY_MOVE(TlsContext)

public:
    TlsContext();
    ~TlsContext();

    // Reads and checks every file first; on any error nothing changes.
    Status load(const TlsFiles& defaultFiles, const QList<QPair<QString, TlsFiles>>& sniFiles = {});
    // Re-reads the files given to load() (SIGHUP); on failure the old certificates stay.
    Status reload();
    bool isLoaded() const;

    // Exact host match, else a "*.example.org" entry covering exactly one more label, else the
    // default certificate. TLS 1.2 minimum; no client certificates requested.
    QSslConfiguration configurationFor(const QString& serverName) const;
    QList<CertificateInfo> certificates() const;

    // RSA 2048 / SHA-256, CN and subjectAltName DNS:hostname, valid 10 years, random serial.
    // The key file is created with mode 0600; neither file may exist yet.
    static Status generateSelfSigned(const QString& hostname, const QString& certPath, const QString& keyPath);
    static Result<QString> fingerprintOfFile(const QString& certPath);

private:
    struct Entry;
    struct Snapshot;

    static Result<Entry> readEntry(const QString& host, const TlsFiles& files);
    std::shared_ptr<const Snapshot> snapshot() const;

    mutable QReadWriteLock m_lock;
    std::shared_ptr<const Snapshot> m_snapshot;
};

} // namespace promail
