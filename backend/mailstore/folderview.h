#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

class Database;

// One folder of a mailbox with its counters, for IMAP LIST and STATUS (RFC 9051 §6.3.9, §6.3.11).
struct FolderSummary
{
    qint64 id = 0;
    QString name;
    QString specialUse; // RFC 6154 attribute or ""
    qint64 uidValidity = 0;
    qint64 uidNext = 1;
    qint64 highestModseq = 1;
    qint64 messages = 0;
    qint64 unseen = 0;       // messages without \Seen
    qint64 bytes = 0;        // RFC 8438 STATUS SIZE; filled by summary() only, like unseen
    qint64 deleted = 0;      // messages with \Deleted (RFC 9051 STATUS DELETED)
    qint64 deletedBytes = 0; // their size (RFC 9208 §4.3 DELETED-STORAGE)
    bool subscribed = false; // RFC 9051 §6.3.7; filled by folders() only
};

// One message as an IMAP session sees it (RFC 9051 §2.3).
struct SnapshotMessage
{
    qint64 uid = 0;
    qint64 size = 0;
    qint64 internalDate = 0; // seconds since the epoch
    qint64 modseq = 0;
    QList<QByteArray> flags; // "\\Seen", "$Label", ... in stored order
    QString path;            // absolute path of the message file
};

// A selected folder at one moment: its counters and messages in UID order.
struct FolderSnapshot
{
    FolderSummary folder;
    QList<SnapshotMessage> messages;
};

// Read-only views of a mailbox's folders for IMAP. Thread-safe like MailStore.
class FolderView
{
public:
    FolderView(const Database& database, const DataPaths& paths);

    // Every folder of the mailbox, ordered by name, with message counts and subscription.
    Result<QList<FolderSummary>> folders(qint64 mailboxId) const;
    // One folder's summary; a notFound error when it does not exist.
    Result<FolderSummary> summary(qint64 mailboxId, const QString& name) const;
    // The folder's counters only (no counts): cheap enough to poll at every command.
    Result<FolderSummary> counters(qint64 folderId) const;
    // The whole folder, for SELECT and for finding changes made by other sessions.
    Result<FolderSnapshot> snapshot(qint64 mailboxId, const QString& name) const;

    static QList<QByteArray> splitFlags(const QString& stored);

private:
    const Database& m_database;
    DataPaths m_paths;
};

} // namespace promail
