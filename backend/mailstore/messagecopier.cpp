#include "mailstore/messagecopier.h"

#include "core/logging.h"
#include "mailstore/expungelog.h"
#include "mailstore/maildirlayout.h"
#include "mailstore/messagefilewriter.h"
#include "mailstore/spamtraining.h"
#include "storage/database.h"

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
constexpr int kNameAttempts = 3;

QString placeholders(qsizetype count)
{
    QStringList marks;
    marks.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        marks.append(u"?"_s);
    return marks.join(u", "_s);
}

struct FolderRow
{
    qint64 id = 0;
    QString specialUse;
    qint64 uidValidity = 0;
};

struct SourceMessage
{
    qint64 uid = 0;
    QString file; // relative to the mailbox directory
    qint64 size = 0;
    qint64 internalDate = 0;
    QString flags;
    QString messageId;
    QString targetFile; // relative, "<target id>/new/<name>"
};

Result<FolderRow> folderRow(const Database& database, qint64 mailboxId, qint64 folderId, const QString& field)
{
    auto query = database.run(u"SELECT id, special_use, uidvalidity FROM folders WHERE id = ? AND mailbox_id = ?"_s,
                              {folderId, mailboxId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error{ErrorCode::NotFound, u"folder %1 of mailbox %2 does not exist"_s.arg(folderId).arg(mailboxId),
                     field};
    FolderRow row{query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toLongLong()};
    query->finish();
    return row;
}

Result<QString> mailboxDirectory(const Database& database, const DataPaths& paths, qint64 mailboxId)
{
    auto query = database.run(
        u"SELECT d.name, m.local_part FROM mailboxes m JOIN domains d ON d.id = m.domain_id WHERE m.id = ?"_s,
        {mailboxId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    const QString domain = query->value(0).toString();
    const QString localPart = query->value(1).toString();
    query->finish();
    return MaildirLayout::mailboxDirectory(paths, domain, localPart);
}

Result<QList<SourceMessage>> sourceMessages(const Database& database, qint64 folderId, QList<qint64> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    QList<SourceMessage> messages;
    for (qsizetype start = 0; start < uids.size(); start += kUidsPerStatement)
    {
        const QList<qint64> chunk = uids.mid(start, kUidsPerStatement);
        QVariantList bindings{folderId};
        for (qint64 uid : chunk)
            bindings.append(uid);
        auto query = database.run(u"SELECT uid, file, size, internal_date, flags, message_id FROM messages "
                                  "WHERE folder_id = ? AND uid IN (%1) ORDER BY uid"_s.arg(placeholders(chunk.size())),
                                  bindings);
        if (!query)
            return query.error();
        while (query->next())
            messages.append({query->value(0).toLongLong(),
                             query->value(1).toString(),
                             query->value(2).toLongLong(),
                             query->value(3).toLongLong(),
                             query->value(4).toString(),
                             query->value(5).toString(),
                             {}});
        query->finish();
    }
    return messages;
}

// A new name for `source` in `tmpDirectory`: a hard link, or a copy where links are not possible
// (another file system, a file system without links, the link count at its maximum).
Result<QString> linkIntoTmp(const QString& source, const QString& tmpDirectory)
{
    const QByteArray nativeSource = QFile::encodeName(source);
    for (int attempt = 0; attempt < kNameAttempts; ++attempt)
    {
        const QString name = uniqueFileName();
        if (::link(nativeSource.constData(), QFile::encodeName(tmpDirectory + u'/' + name).constData()) == 0)
            return name;
        if (errno == EEXIST)
            continue;
        if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP)
            return fileSystemError(u"cannot link"_s, source, errno);
        MessageFileWriter writer;
        if (const Status opened = writer.open(source); !opened)
            return opened.error();
        const auto written = writer.write(tmpDirectory, {}, 0);
        if (!written)
            return written.error();
        return written->name;
    }
    return Error::internal(u"cannot find an unused file name in %1"_s.arg(tmpDirectory));
}

// The job's rows, in the committer's transaction.
Status transferRows(const Database& database, MessageCopier::Mode mode, qint64 sourceMailboxId, const FolderRow& source,
                    qint64 mailboxId, const FolderRow& target, const QList<SourceMessage>& messages, CopyResult& result)
{
    const qint64 count = messages.size();
    qint64 bytes = 0;
    for (const SourceMessage& message : messages)
        bytes += message.size;
    // Checked again here, where it counts: a delivery may have raised the usage since prepare().
    // A MOVE within one mailbox uses no more space; into a shared folder (RFC 4314) it counts for
    // the folder's owner.
    const bool addsUsage = mode == MessageCopier::Mode::Copy || sourceMailboxId != mailboxId;
    if (addsUsage)
    {
        if (const Status allowed = checkMailboxQuota(database, mailboxId, bytes, count); !allowed)
            return allowed;
    }
    // RFC 9051 §2.3.1.1 and RFC 7162 §3.1: consecutive new UIDs, each with a MODSEQ above the
    // folder's highest; one UPDATE reserves them all and locks the folder row.
    const auto reserved = database.run(u"UPDATE folders SET uidnext = uidnext + ?, highest_modseq = highest_modseq + ? "
                                       "WHERE id = ? AND mailbox_id = ?"_s,
                                       {count, count, target.id, mailboxId});
    if (!reserved)
        return reserved.error();
    if (reserved->numRowsAffected() != 1)
        return Error{ErrorCode::NotFound, u"folder %1 of mailbox %2 no longer exists"_s.arg(target.id).arg(mailboxId),
                     u"target_folder"_s};
    auto counters = database.run(u"SELECT uidnext, highest_modseq FROM folders WHERE id = ?"_s, {target.id});
    if (!counters)
        return counters.error();
    if (!counters->next())
        return Error::notFound(u"folder %1 no longer exists"_s.arg(target.id));
    const qint64 firstUid = counters->value(0).toLongLong() - count;
    const qint64 firstModseq = counters->value(1).toLongLong() - count + 1;
    counters->finish();

    const SpamVerdict verdict = [&]
    {
        const SpamVerdict moved = SpamTraining::classifyMove(source.specialUse, target.specialUse);
        // Issue 4: only moving a message out of \Junk teaches "ham"; a copy leaves it there.
        return mode == MessageCopier::Mode::Copy && moved == SpamVerdict::Ham ? SpamVerdict::None : moved;
    }();
    CopyResult done;
    done.uidValidity = target.uidValidity;
    for (qsizetype i = 0; i < messages.size(); ++i)
    {
        const SourceMessage& message = messages[i];
        // RFC 9051 §6.4.7: the copy keeps the flags and the internal date.
        const auto inserted =
            database.run(u"INSERT INTO messages (folder_id, uid, modseq, file, size, internal_date, flags, message_id) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                         {target.id, firstUid + i, firstModseq + i, message.targetFile, message.size,
                          message.internalDate, message.flags, message.messageId});
        if (!inserted)
            return inserted.error();
        if (verdict != SpamVerdict::None)
        {
            if (const auto recorded =
                    SpamTraining::recordIn(database, mailboxId, message.targetFile, message.messageId, verdict);
                !recorded)
                return recorded.error();
        }
        done.sourceUids.append(message.uid);
        done.destinationUids.append(firstUid + i);
    }

    if (addsUsage)
    {
        // RFC 9208 §5: each copy is stored again, so it counts again, even in the same mailbox.
        const auto counted = database.run(
            u"INSERT INTO mailbox_usage (mailbox_id, bytes, messages) VALUES (?, ?, ?) ON CONFLICT (mailbox_id) "
            "DO UPDATE SET bytes = mailbox_usage.bytes + excluded.bytes, "
            "messages = mailbox_usage.messages + excluded.messages"_s,
            {mailboxId, bytes, count});
        if (!counted)
            return counted.error();
    }
    if (mode == MessageCopier::Mode::Move && sourceMailboxId != mailboxId)
    {
        const auto lowered =
            database.run(u"UPDATE mailbox_usage SET bytes = CASE WHEN bytes > ? THEN bytes - ? ELSE 0 END, "
                         "messages = CASE WHEN messages > ? THEN messages - ? ELSE 0 END WHERE mailbox_id = ?"_s,
                         {bytes, bytes, count, count, sourceMailboxId});
        if (!lowered)
            return lowered.error();
    }
    if (mode == MessageCopier::Mode::Move)
    {
        // RFC 6851 §3.3: MOVE expunges the source messages, so the source's MODSEQ moves on
        // (RFC 7162 §3.1); usage stays as it is, the bytes only changed folder.
        const auto bumped =
            database.run(u"UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = ?"_s, {source.id});
        if (!bumped)
            return bumped.error();
        for (qsizetype start = 0; start < messages.size(); start += kUidsPerStatement)
        {
            const QList<SourceMessage> chunk = messages.mid(start, kUidsPerStatement);
            QVariantList bindings{source.id};
            for (const SourceMessage& message : chunk)
                bindings.append(message.uid);
            const auto deleted = database.run(
                u"DELETE FROM messages WHERE folder_id = ? AND uid IN (%1)"_s.arg(placeholders(chunk.size())),
                bindings);
            if (!deleted)
                return deleted.error();
        }
        auto modseq = database.run(u"SELECT highest_modseq FROM folders WHERE id = ?"_s, {source.id});
        if (!modseq)
            return modseq.error();
        done.sourceHighestModseq = modseq->next() ? modseq->value(0).toLongLong() : 0;
        modseq->finish();
        // RFC 7162 §3.2.5.2: the moved messages vanished from the source folder.
        if (const Status logged = ExpungeLog::record(database, source.id, done.sourceUids, done.sourceHighestModseq);
            !logged)
            return logged.error();
    }
    result = std::move(done);
    return {};
}
} // namespace

QByteArray formatUidSet(const QList<qint64>& uids)
{
    QByteArray set;
    for (qsizetype i = 0; i < uids.size();)
    {
        qsizetype end = i;
        while (end + 1 < uids.size() && uids[end + 1] == uids[end] + 1)
            ++end;
        if (!set.isEmpty())
            set += ',';
        set += QByteArray::number(uids[i]);
        if (end > i)
            set += ':' + QByteArray::number(uids[end]);
        i = end + 1;
    }
    return set;
}

QByteArray CopyResult::copyUid() const
{
    if (sourceUids.isEmpty())
        return {};
    // RFC 4315 §3: resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set.
    return "COPYUID "_ba + QByteArray::number(uidValidity) + ' ' + formatUidSet(sourceUids) + ' ' +
           formatUidSet(destinationUids);
}

void PreparedTransfer::finish() const
{
    // Only after the commit: the source rows are gone, so unlinking cannot lose mail. A crash
    // before this point leaves source files without rows, which recovery indexes again (the
    // message comes back in the source, it is never lost), as with FolderIndex::expunge().
    QSet<QString> directories;
    for (const QString& file : m_sourceFilesToRemove)
    {
        if (::unlink(QFile::encodeName(file).constData()) != 0 && errno != ENOENT)
        {
            qCWarning(lcStorage).noquote() << fileSystemError(u"cannot remove moved message"_s, file, errno).message;
            continue;
        }
        directories.insert(QFileInfo(file).absolutePath());
    }
    for (const QString& path : std::as_const(directories))
    {
        if (const Status synced = syncPath(path, false); !synced)
            qCWarning(lcStorage).noquote() << synced.error().message;
    }
}

MessageCopier::MessageCopier(const Database& database, const DataPaths& paths, DurableCommitter& committer)
    : m_database(database), m_paths(paths), m_committer(committer)
{
}

Result<PreparedTransfer> MessageCopier::prepare(Mode mode, qint64 sourceMailboxId, qint64 sourceFolderId,
                                                const QList<qint64>& uids, qint64 mailboxId, qint64 targetFolderId,
                                                const FlagFilter& keepFlag) const
{
    const auto sourceDirectory = mailboxDirectory(m_database, m_paths, sourceMailboxId);
    if (!sourceDirectory)
        return sourceDirectory.error();
    const auto directory = mailboxDirectory(m_database, m_paths, mailboxId);
    if (!directory)
        return directory.error();
    // RFC 9051 §6.4.7: a missing target is answered with [TRYCREATE]; the field says which one.
    const auto source = folderRow(m_database, sourceMailboxId, sourceFolderId, u"source_folder"_s);
    if (!source)
        return source.error();
    const auto target = folderRow(m_database, mailboxId, targetFolderId, u"target_folder"_s);
    if (!target)
        return target.error();
    if (mode == Mode::Move && sourceFolderId == targetFolderId)
        return Error::invalid(u"target_folder"_s, u"a message cannot be moved into its own folder"_s);
    auto found = sourceMessages(m_database, sourceFolderId, uids);
    if (!found)
        return found.error();
    QList<SourceMessage> messages = std::move(found.value());
    if (keepFlag)
    {
        for (SourceMessage& message : messages)
        {
            QStringList kept;
            for (const QString& flag : message.flags.split(u' ', Qt::SkipEmptyParts))
            {
                if (keepFlag(flag.toUtf8()))
                    kept.append(flag);
            }
            message.flags = kept.join(u' ');
        }
    }

    PreparedTransfer prepared;
    prepared.m_result->uidValidity = target->uidValidity;
    if (messages.isEmpty())
        return prepared; // RFC 9051 §6.4.8: UIDs that no longer exist are not an error

    qint64 bytes = 0;
    for (const SourceMessage& message : std::as_const(messages))
        bytes += message.size;
    // Refused before the first link, so an over-quota COPY leaves nothing to clean up.
    if (mode == Mode::Copy || sourceMailboxId != mailboxId)
    {
        if (const Status allowed = checkMailboxQuota(m_database, mailboxId, bytes, messages.size()); !allowed)
            return allowed.error();
    }

    if (const Status made = MaildirLayout::createFolder(m_paths, *directory, targetFolderId); !made)
        return made.error();
    const QString targetDirectory = MaildirLayout::folderDirectory(*directory, targetFolderId);
    // Crash safety: the new name is made in tmp/, which start-up recovery empties, so a crash
    // before the committer runs leaves no trace. The committer then syncs the file (already on
    // disk: it is the source's inode), renames it into new/ and syncs new/, and only then
    // commits the rows; if the rows fail it removes the name from new/ again. A crash between
    // rename and commit leaves a file in new/ without a row, which recovery indexes: the copy
    // appears once more, but the source is never touched before the commit.
    for (SourceMessage& message : messages)
    {
        const QString sourcePath = *sourceDirectory + u'/' + message.file;
        const auto name = linkIntoTmp(sourcePath, targetDirectory + u"/tmp"_s);
        if (!name)
        {
            for (const FileCommit& file : std::as_const(prepared.job.files))
                ::unlink(QFile::encodeName(file.tempPath).constData());
            return name.error();
        }
        prepared.job.files.append({targetDirectory + u"/tmp/"_s + *name, targetDirectory + u"/new/"_s + *name});
        message.targetFile = MaildirLayout::relativeFile(targetFolderId, u"new"_s, *name);
        if (mode == Mode::Move)
            prepared.m_sourceFilesToRemove.append(sourcePath);
    }

    prepared.job.rows = [mode, sourceMailboxId, mailboxId, source = *source, target = *target, messages,
                         result = prepared.m_result](const Database& database) -> Status
    {
        return transferRows(database, mode, sourceMailboxId, source, mailboxId, target, messages, *result);
    };
    return prepared;
}

Result<CopyResult> MessageCopier::transfer(Mode mode, qint64 mailboxId, qint64 sourceFolderId,
                                           const QList<qint64>& uids, qint64 targetFolderId) const
{
    auto prepared = prepare(mode, mailboxId, sourceFolderId, uids, mailboxId, targetFolderId);
    if (!prepared)
        return prepared.error();
    if (!prepared->job.files.isEmpty())
    {
        if (const Status committed = m_committer.commit(std::move(prepared->job)); !committed)
            return committed.error();
        prepared->finish();
    }
    return prepared->result();
}

Result<CopyResult> MessageCopier::copy(qint64 mailboxId, qint64 sourceFolderId, const QList<qint64>& uids,
                                       qint64 targetFolderId) const
{
    return transfer(Mode::Copy, mailboxId, sourceFolderId, uids, targetFolderId);
}

Result<CopyResult> MessageCopier::move(qint64 mailboxId, qint64 sourceFolderId, const QList<qint64>& uids,
                                       qint64 targetFolderId) const
{
    return transfer(Mode::Move, mailboxId, sourceFolderId, uids, targetFolderId);
}

} // namespace promail
