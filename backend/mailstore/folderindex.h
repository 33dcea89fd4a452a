#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QList>
#include <QString>

namespace promail
{

class Database;

// One message of a folder as the index knows it.
struct FolderMessage
{
    qint64 uid = 0;
    qint64 size = 0; // octets of the stored file, which has CRLF line ends
    QString path;    // absolute path of the message file
};

// The messages of one folder at one moment, in UID order.
struct FolderListing
{
    qint64 folderId = 0; // 0: the folder does not exist (yet), so it is empty
    qint64 uidValidity = 0;
    QList<FolderMessage> messages;
};

// What an expunge removed.
struct ExpungeResult
{
    QList<qint64> uids; // the UIDs that were there and are gone now, ascending
    qint64 bytes = 0;
    qint64 highestModseq = 0; // the folder's MODSEQ after the change (RFC 7162 §3.1)
};

// Reading and removing the messages of one mailbox folder: the POP3 maildrop, IMAP SELECT and
// EXPUNGE. Thread-safe like MailStore: each thread uses its own database connection.
class FolderIndex
{
public:
    FolderIndex(const Database& database, const DataPaths& paths);

    Result<FolderListing> list(qint64 mailboxId, const QString& folderName) const;

    // Deletes the rows of `uids` (UIDs no longer there are skipped), lowers mailbox_usage and
    // bumps the folder's highest MODSEQ in one transaction, then unlinks the files. A crash
    // between the commit and the unlink leaves a file without a row, which the start-up
    // recovery indexes again: a message may come back, but none is ever lost.
    Result<ExpungeResult> expunge(qint64 mailboxId, qint64 folderId, const QList<qint64>& uids) const;

private:
    Result<QString> mailboxDirectory(qint64 mailboxId) const;

    const Database& m_database;
    DataPaths m_paths;
};

} // namespace promail
