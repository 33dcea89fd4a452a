#include "mailstore/folderview.h"

#include "mailstore/maildirlayout.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kFolderColumns = u"f.id, f.name, f.special_use, f.uidvalidity, f.uidnext, f.highest_modseq"_s;

template <typename Query>
FolderSummary readFolder(const Query& query)
{
    FolderSummary folder;
    folder.id = query.value(0).toLongLong();
    folder.name = query.value(1).toString();
    folder.specialUse = query.value(2).toString();
    folder.uidValidity = query.value(3).toLongLong();
    folder.uidNext = query.value(4).toLongLong();
    folder.highestModseq = query.value(5).toLongLong();
    return folder;
}
} // namespace

FolderView::FolderView(const Database& database, const DataPaths& paths) : m_database(database), m_paths(paths)
{
}

QList<QByteArray> FolderView::splitFlags(const QString& stored)
{
    QList<QByteArray> flags;
    for (const QByteArray& flag : stored.toUtf8().split(' '))
    {
        if (!flag.isEmpty())
            flags.append(flag);
    }
    return flags;
}

Result<QList<FolderSummary>> FolderView::folders(qint64 mailboxId) const
{
    auto query =
        m_database.run(u"SELECT "_s + kFolderColumns +
                           u", (SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id), f.subscribed FROM folders f "
                           "WHERE f.mailbox_id = ? ORDER BY f.name"_s,
                       {mailboxId});
    if (!query)
        return query.error();
    QList<FolderSummary> result;
    while (query->next())
    {
        FolderSummary folder = readFolder(*query);
        folder.messages = query->value(6).toLongLong();
        folder.subscribed = query->value(7).toLongLong() != 0;
        result.append(folder);
    }
    query->finish();
    return result;
}

Result<FolderSummary> FolderView::counters(qint64 folderId) const
{
    auto query = m_database.run(u"SELECT "_s + kFolderColumns + u" FROM folders f WHERE f.id = ?"_s, {folderId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"folder %1 does not exist"_s.arg(folderId));
    const FolderSummary folder = readFolder(*query);
    query->finish();
    return folder;
}

Result<FolderSummary> FolderView::summary(qint64 mailboxId, const QString& name) const
{
    // The flags are counted here rather than in SQL: LIKE treats "\" differently per database.
    auto query = m_database.run(u"SELECT "_s + kFolderColumns +
                                    u", m.flags, m.size FROM folders f LEFT JOIN messages m ON m.folder_id = f.id "
                                    "WHERE f.mailbox_id = ? AND f.name = ?"_s,
                                {mailboxId, name});
    if (!query)
        return query.error();
    FolderSummary folder;
    bool found = false;
    while (query->next())
    {
        if (!found)
            folder = readFolder(*query);
        found = true;
        if (query->isNull(6))
            continue;
        ++folder.messages;
        const qint64 size = query->value(7).toLongLong();
        folder.bytes += size;
        const QList<QByteArray> flags = splitFlags(query->value(6).toString());
        if (!flags.contains("\\Seen"_ba))
            ++folder.unseen;
        if (flags.contains("\\Deleted"_ba))
        {
            ++folder.deleted;
            folder.deletedBytes += size;
        }
    }
    query->finish();
    if (!found)
        return Error::notFound(u"folder %1 does not exist"_s.arg(name));
    return folder;
}

Result<FolderSnapshot> FolderView::snapshot(qint64 mailboxId, const QString& name) const
{
    auto owner = m_database.run(
        u"SELECT d.name, b.local_part FROM mailboxes b JOIN domains d ON d.id = b.domain_id WHERE b.id = ?"_s,
        {mailboxId});
    if (!owner)
        return owner.error();
    if (!owner->next())
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    const auto directory =
        MaildirLayout::mailboxDirectory(m_paths, owner->value(0).toString(), owner->value(1).toString());
    owner->finish();
    if (!directory)
        return directory.error();
    // One statement, so the counters and the messages come from one snapshot.
    auto query = m_database.run(u"SELECT "_s + kFolderColumns +
                                    u", m.uid, m.size, m.internal_date, m.modseq, m.flags, m.file FROM folders f "
                                    "LEFT JOIN messages m ON m.folder_id = f.id "
                                    "WHERE f.mailbox_id = ? AND f.name = ? ORDER BY m.uid"_s,
                                {mailboxId, name});
    if (!query)
        return query.error();
    FolderSnapshot snapshot;
    bool found = false;
    while (query->next())
    {
        if (!found)
            snapshot.folder = readFolder(*query);
        found = true;
        if (query->isNull(6))
            continue;
        SnapshotMessage message;
        message.uid = query->value(6).toLongLong();
        message.size = query->value(7).toLongLong();
        message.internalDate = query->value(8).toLongLong();
        message.modseq = query->value(9).toLongLong();
        message.flags = splitFlags(query->value(10).toString());
        message.path = *directory + u'/' + query->value(11).toString();
        snapshot.messages.append(message);
    }
    query->finish();
    if (!found)
        return Error::notFound(u"folder %1 does not exist"_s.arg(name));
    snapshot.folder.messages = snapshot.messages.size();
    for (const SnapshotMessage& message : std::as_const(snapshot.messages))
    {
        if (!message.flags.contains("\\Seen"_ba))
            ++snapshot.folder.unseen;
    }
    return snapshot;
}

} // namespace promail
