#pragma once

#include "core/result.h"
#include "mailstore/mailstore.h"

#include <QList>
#include <QString>

namespace promail
{

class Database;

// A message file that is in place and needs its row.
struct MessageFile
{
    qint64 mailboxId = 0;
    qint64 folderId = 0;
    QString file; // relative to the mailbox directory, as stored in messages.file
    qint64 size = 0;
    qint64 internalDate = 0; // seconds since the epoch
    QString messageId;
};

// What the folder gave the new message (RFC 9051 §2.3.1.1 UID, RFC 7162 §3.1 MODSEQ).
struct IndexedMessage
{
    qint64 uid = 0;
    qint64 modseq = 0;
};

// The rows of the mail store: folders with their UID and MODSEQ counters, messages, usage.
class MailIndex
{
public:
    explicit MailIndex(const Database& database);

    // Inserts the folders a mailbox lacks; safe when several threads or nodes race, since a
    // folder that appears meanwhile is left as it is (ON CONFLICT DO NOTHING).
    Status ensureFolders(qint64 mailboxId, const QList<StandardFolder>& folders) const;

    // The id of the named folder, created (without special use) when it does not exist.
    Result<qint64> ensureFolder(qint64 mailboxId, const QString& name) const;

    // Gives the message the folder's next UID and MODSEQ, inserts its row and counts it in
    // mailbox_usage. Runs inside the caller's transaction: the UPDATE locks the folder row, so
    // UIDs are handed out in order without gaps even with several nodes on one PostgreSQL.
    Result<IndexedMessage> addMessage(const MessageFile& message) const;

    // RFC 9051 §2.3.1.1: a new folder's UIDVALIDITY differs from every earlier one of its name.
    // Returns the largest value the mailbox ever used (folders deleted since included); a new
    // folder takes max(now, that + 1), and the caller records it with recordUidValidity() in the
    // same transaction.
    static Result<qint64> lastUidValidity(const Database& database, qint64 mailboxId);
    static Status recordUidValidity(const Database& database, qint64 mailboxId, qint64 value);

private:
    Result<qint64> findFolder(qint64 mailboxId, const QString& name) const;

    const Database& m_database;
};

} // namespace promail
