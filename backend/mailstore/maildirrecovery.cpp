#include "mailstore/maildirrecovery.h"

#include "core/logging.h"
#include "mailstore/maildirlayout.h"
#include "mailstore/mailindex.h"
#include "storage/database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr QDir::Filters kDirectories = QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden;
constexpr QDir::Filters kFiles = QDir::Files | QDir::Hidden | QDir::System;
} // namespace

MaildirRecovery::MaildirRecovery(const Database& database, const DataPaths& paths)
    : m_database(database), m_paths(paths)
{
}

Status MaildirRecovery::run() const
{
    const auto ids = mailboxIds();
    if (!ids)
        return ids.error();
    Counts counts;
    const QDir mail(m_paths.mail());
    for (const QString& domain : mail.entryList(kDirectories, QDir::Name))
    {
        const QDir domainDir(mail.filePath(domain));
        for (const QString& localPart : domainDir.entryList(kDirectories, QDir::Name))
        {
            const QString mailboxDirectory = domainDir.filePath(localPart);
            sweepTemporaryFiles(mailboxDirectory, counts);
            const qint64 mailboxId = ids->value(domain + u'/' + localPart);
            if (mailboxId == 0)
            {
                qCWarning(lcStorage).noquote() << "mail directory" << mailboxDirectory << "belongs to no mailbox";
                continue;
            }
            if (const Status indexed = indexMailbox(mailboxId, mailboxDirectory, counts); !indexed)
                return indexed;
        }
    }
    qCInfo(lcStorage).noquote() << "mail store recovery:" << counts.removed << "temporary files removed,"
                                << counts.indexed << "files indexed," << counts.missing << "files missing";
    return {};
}

Result<QHash<QString, qint64>> MaildirRecovery::mailboxIds() const
{
    auto query =
        m_database.run(u"SELECT m.id, d.name, m.local_part FROM mailboxes m JOIN domains d ON d.id = m.domain_id"_s);
    if (!query)
        return query.error();
    QHash<QString, qint64> ids;
    while (query->next())
        ids.insert(query->value(1).toString() + u'/' + query->value(2).toString(), query->value(0).toLongLong());
    return ids;
}

void MaildirRecovery::sweepTemporaryFiles(const QString& mailboxDirectory, Counts& counts) const
{
    // Each folder's tmp/, and a tmp/ directly in the mailbox directory should one exist.
    QStringList temporaryDirectories{mailboxDirectory + u"/tmp"_s};
    for (const QString& folder : QDir(mailboxDirectory).entryList(kDirectories))
        temporaryDirectories.append(mailboxDirectory + u'/' + folder + u"/tmp"_s);
    for (const QString& directory : std::as_const(temporaryDirectories))
    {
        const QDir tmp(directory);
        for (const QString& name : tmp.entryList(kFiles))
        {
            const QString path = tmp.filePath(name);
            if (::unlink(QFile::encodeName(path).constData()) == 0)
                ++counts.removed;
            else
                qCWarning(lcStorage).noquote() << fileSystemError(u"cannot remove"_s, path, errno).message;
        }
    }
}

Status MaildirRecovery::indexMailbox(qint64 mailboxId, const QString& mailboxDirectory, Counts& counts) const
{
    auto folderQuery = m_database.run(u"SELECT id FROM folders WHERE mailbox_id = ?"_s, {mailboxId});
    if (!folderQuery)
        return folderQuery.error();
    QSet<qint64> folderIds;
    while (folderQuery->next())
        folderIds.insert(folderQuery->value(0).toLongLong());
    folderQuery->finish(); // no read snapshot may stay open into the transaction below
    auto fileQuery = m_database.run(
        u"SELECT m.file FROM messages m JOIN folders f ON f.id = m.folder_id WHERE f.mailbox_id = ?"_s, {mailboxId});
    if (!fileQuery)
        return fileQuery.error();
    QSet<QString> indexedFiles;
    while (fileQuery->next())
        indexedFiles.insert(fileQuery->value(0).toString());
    fileQuery->finish();

    QSet<QString> presentFiles;
    QList<MessageFile> unindexed;
    for (const QString& folder : QDir(mailboxDirectory).entryList(kDirectories, QDir::Name))
    {
        bool numeric = false;
        const qint64 folderId = folder.toLongLong(&numeric);
        if (!numeric)
            continue;
        if (!folderIds.contains(folderId))
        {
            qCWarning(lcStorage).noquote() << "folder directory" << mailboxDirectory + u'/' + folder
                                           << "has no folder row; its files are left alone";
            continue;
        }
        for (const QString& subdirectory : {u"new"_s, u"cur"_s})
        {
            // Unique names start with the delivery time, so name order is arrival order.
            const QDir dir(mailboxDirectory + u'/' + folder + u'/' + subdirectory);
            for (const QFileInfo& info : dir.entryInfoList(kFiles, QDir::Name))
            {
                const QString file = MaildirLayout::relativeFile(folderId, subdirectory, info.fileName());
                presentFiles.insert(file);
                if (!indexedFiles.contains(file))
                    unindexed.append(
                        {mailboxId, folderId, file, info.size(), info.lastModified().toSecsSinceEpoch(), QString()});
            }
        }
    }
    for (const QString& file : std::as_const(indexedFiles))
    {
        if (!presentFiles.contains(file))
        {
            ++counts.missing;
            qCWarning(lcStorage).noquote()
                << "message file" << mailboxDirectory + u'/' + file << "is missing; its row is kept";
        }
    }
    if (unindexed.isEmpty())
        return {};

    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started();
    const MailIndex index(m_database);
    for (const MessageFile& message : std::as_const(unindexed))
    {
        const auto added = index.addMessage(message);
        if (!added)
            return added.error();
        qCInfo(lcStorage).noquote() << "indexed" << mailboxDirectory + u'/' + message.file << "as UID" << added->uid;
    }
    if (const Status committed = transaction.commit(); !committed)
        return committed;
    counts.indexed += int(unindexed.size());
    return {};
}

} // namespace promail
