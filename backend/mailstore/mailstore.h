#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "storage/durablecommitter.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace promail
{

class Database;

// A folder every mailbox has (issue 4: "INBOX, Drafts, Sent, Trash, Spam, Archive").
struct StandardFolder
{
    QString name;
    QString specialUse; // RFC 6154 attribute: "\\Drafts", "\\Sent", "\\Trash", "\\Junk", "\\Archive"; "" for INBOX
};

// Storage used by one mailbox (RFC 9208 STORAGE in bytes, MESSAGE count).
struct MailboxUsage
{
    qint64 bytes = 0;
    qint64 messages = 0;
    int warnedPercent = 0; // the last quota warning sent (0, 80 or 95)
};

// One copy of a message for one mailbox folder.
struct Delivery
{
    qint64 mailboxId = 0;
    QString domain; // A-label, as in DataPaths::mailboxDirectory()
    QString localPart;
    QString folder = QStringLiteral("INBOX"); // created when missing (e.g. a +tag subfolder)
    QByteArray prefix;                        // header lines written before the message for this copy (CRLF line ends)
    QString messageId;                        // from the Message-ID header, for the index and logs
    // Bytes at the start of the source that are not copied: the prefix then carries a rewritten
    // header section instead (e.g. "[tag] " before the Subject).
    qint64 sourceOffset = 0;
};

// The mail store (ARCHITECTURE.md "Data"): Maildir files under data_dir/mail/<domain>/<local>/,
// immutable once delivered, indexed in the database (folders with UIDVALIDITY/UIDNEXT/MODSEQ,
// messages with UID, size, date, flags). Thread-safe: every method may run on any thread.
class MailStore
{
public:
    MailStore(const Database& database, const DataPaths& paths);

    static const QList<StandardFolder>& standardFolders();

    // Creates the standard folders of a mailbox when they do not exist yet (idempotent).
    Status ensureStandardFolders(qint64 mailboxId) const;

    // Writes one file per delivery (prefix + the bytes of sourcePath) into the mailbox's Maildir
    // tmp/, closed but not yet synced, and returns the job that makes them durable: the
    // committer syncs and renames the files into new/, then the job's rows create missing
    // folders, assign each copy the folder's next UID and MODSEQ, and add to mailbox_usage.
    // Disk full while writing gives an `unavailable` error and leaves no file behind.
    Result<CommitJob> prepare(const QList<Delivery>& deliveries, const QString& sourcePath,
                              const QDateTime& internalDate) const;

    Result<MailboxUsage> usage(qint64 mailboxId) const;
    Status setWarnedPercent(qint64 mailboxId, int percent) const;

    // Start-up sweep (ARCHITECTURE.md "Durability"): deletes files left in tmp/ folders, and
    // indexes message files in new/ or cur/ that have no row (a crash between rename and commit).
    Status recover() const;

private:
    const Database& m_database;
    DataPaths m_paths;
};

} // namespace promail
