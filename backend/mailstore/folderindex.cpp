#include "mailstore/folderindex.h"

#include "core/logging.h"
#include "mailstore/expungelog.h"
#include "mailstore/maildirlayout.h"
#include "storage/database.h"
#include "storage/durablecommitter.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Well below every database's limit on bound parameters (SQLite's old default is 999).
constexpr qsizetype kUidsPerStatement = 500;

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        marks.append(u"?"_s);
    return marks.join(u", "_s);
}
} // namespace

FolderIndex::FolderIndex(const Database& database, const DataPaths& paths) : m_database(database), m_paths(paths)
{
}

Result<QString> FolderIndex::mailboxDirectory(qint64 mailboxId) const
{
    auto query = m_database.run(
        u"SELECT d.name, m.local_part FROM mailboxes m JOIN domains d ON d.id = m.domain_id WHERE m.id = ?"_s,
        {mailboxId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    const QString domain = query->value(0).toString();
    const QString localPart = query->value(1).toString();
    query->finish();
    return MaildirLayout::mailboxDirectory(m_paths, domain, localPart);
}

Result<FolderListing> FolderIndex::list(qint64 mailboxId, const QString& folderName) const
{
    const auto directory = mailboxDirectory(mailboxId);
    if (!directory)
        return directory.error();
    // One statement, so the folder's counters and its messages come from one snapshot.
    auto query = m_database.run(u"SELECT f.id, f.uidvalidity, m.uid, m.size, m.file FROM folders f "
                                "LEFT JOIN messages m ON m.folder_id = f.id "
                                "WHERE f.mailbox_id = ? AND f.name = ? ORDER BY m.uid"_s,
                                {mailboxId, folderName});
    if (!query)
        return query.error();
    FolderListing listing;
    while (query->next())
    {
        listing.folderId = query->value(0).toLongLong();
        listing.uidValidity = query->value(1).toLongLong();
        if (query->isNull(2))
            continue; // the folder has no messages
        listing.messages.append({query->value(2).toLongLong(), query->value(3).toLongLong(),
                                 *directory + u'/' + query->value(4).toString()});
    }
    query->finish();
    return listing;
}

Result<ExpungeResult> FolderIndex::expunge(qint64 mailboxId, qint64 folderId, const QList<qint64>& uids) const
{
    ExpungeResult result;
    if (uids.isEmpty())
        return result;
    const auto directory = mailboxDirectory(mailboxId);
    if (!directory)
        return directory.error();
    QList<qint64> wanted = uids;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

    QStringList files;
    {
        Transaction transaction(m_database);
        if (!transaction.started())
            return transaction.started().error();
        // The first statement writes, so a concurrent writer makes this one wait (busy timeout)
        // rather than fail on a stale snapshot. RFC 7162 §3.1: an expunge is a change, so the
        // folder's MODSEQ moves on.
        const auto bumped =
            m_database.run(u"UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = ? AND mailbox_id = ?"_s,
                           {folderId, mailboxId});
        if (!bumped)
            return bumped.error();
        if (bumped->numRowsAffected() != 1)
            return Error::notFound(u"folder %1 of mailbox %2 does not exist"_s.arg(folderId).arg(mailboxId));
        auto modseq = m_database.run(u"SELECT highest_modseq FROM folders WHERE id = ?"_s, {folderId});
        if (!modseq)
            return modseq.error();
        result.highestModseq = modseq->next() ? modseq->value(0).toLongLong() : 0;
        modseq->finish();

        for (qsizetype start = 0; start < wanted.size(); start += kUidsPerStatement)
        {
            const QList<qint64> chunk = wanted.mid(start, kUidsPerStatement);
            QVariantList bindings{folderId};
            for (qint64 uid : chunk)
                bindings.append(uid);
            const QString in = placeholders(chunk.size());
            auto found = m_database.run(
                u"SELECT uid, size, file FROM messages WHERE folder_id = ? AND uid IN (%1) ORDER BY uid"_s.arg(in),
                bindings);
            if (!found)
                return found.error();
            while (found->next())
            {
                result.uids.append(found->value(0).toLongLong());
                result.bytes += found->value(1).toLongLong();
                files.append(*directory + u'/' + found->value(2).toString());
            }
            found->finish();
            const auto deleted =
                m_database.run(u"DELETE FROM messages WHERE folder_id = ? AND uid IN (%1)"_s.arg(in), bindings);
            if (!deleted)
                return deleted.error();
        }

        if (!result.uids.isEmpty())
        {
            // RFC 9208 §5: usage goes down by what was removed, never below zero.
            const qint64 count = result.uids.size();
            const auto counted =
                m_database.run(u"UPDATE mailbox_usage SET bytes = CASE WHEN bytes > ? THEN bytes - ? ELSE 0 END, "
                               "messages = CASE WHEN messages > ? THEN messages - ? ELSE 0 END WHERE mailbox_id = ?"_s,
                               {result.bytes, result.bytes, count, count, mailboxId});
            if (!counted)
                return counted.error();
        }
        // RFC 7162 §3.2.5.2: QRESYNC clients learn of these UIDs later as VANISHED.
        if (const Status logged = ExpungeLog::record(m_database, folderId, result.uids, result.highestModseq); !logged)
            return logged.error();
        if (const Status committed = transaction.commit(); !committed)
            return committed.error();
    }

    // Only now that the rows are gone: files first would lose mail if the commit failed.
    QSet<QString> directories;
    for (const QString& file : std::as_const(files))
    {
        if (::unlink(QFile::encodeName(file).constData()) != 0 && errno != ENOENT)
        {
            qCWarning(lcStorage).noquote() << fileSystemError(u"cannot remove expunged message"_s, file, errno).message;
            continue;
        }
        directories.insert(QFileInfo(file).absolutePath());
    }
    // Makes the removals durable, so a crash does not bring the messages back through recovery.
    for (const QString& path : std::as_const(directories))
    {
        if (const Status synced = syncPath(path, false); !synced)
            qCWarning(lcStorage).noquote() << synced.error().message;
    }
    return result;
}

} // namespace promail
