#pragma once

#include "core/result.h"

#include <QString>

#include <sys/types.h>

namespace promail
{

// The layout of data_dir (ARCHITECTURE.md "Data"): one place that knows every path.
class DataPaths
{
public:
    explicit DataPaths(const QString& root);

    QString root() const { return m_root; }
    QString database() const { return m_root + QStringLiteral("/promail.db"); }
    QString mail() const { return m_root + QStringLiteral("/mail"); }
    QString queue() const { return m_root + QStringLiteral("/queue"); }
    QString keys() const { return m_root + QStringLiteral("/keys"); }
    QString run() const { return m_root + QStringLiteral("/run"); }
    QString archive() const { return m_root + QStringLiteral("/archive"); }
    // Messages being received, before they are delivered (deleted after delivery or at start-up).
    QString incoming() const { return m_root + QStringLiteral("/incoming"); }
    QString adminSocket() const { return run() + QStringLiteral("/admin.sock"); }
    QString defaultCertificate() const { return keys() + QStringLiteral("/tls-cert.pem"); }
    QString defaultPrivateKey() const { return keys() + QStringLiteral("/tls-key.pem"); }
    QString mailboxDirectory(const QString& domain, const QString& localPart) const;

    // Creates data_dir and its folders with mode 0700, owned by owner/group when given
    // (the daemon creates them as root, then drops to that account).
    Status create(uid_t owner = uid_t(-1), gid_t group = gid_t(-1)) const;

private:
    QString m_root;
};

// A file name unique on this host, Maildir style: seconds, microseconds, pid, a process-wide
// counter and the host name.
QString uniqueFileName();

// Makes `path` and any missing parents with `mode`; errors name the path and the reason.
Status makeDirectory(const QString& path, mode_t mode);

} // namespace promail
