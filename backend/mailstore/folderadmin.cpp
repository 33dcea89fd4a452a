#include "mailstore/folderadmin.h"

#include "mailstore/mailindex.h"

#include "core/logging.h"
#include "mailstore/maildirlayout.h"
#include "mailstore/messagecopier.h"
#include "storage/database.h"
#include "storage/durablecommitter.h"

#include <QDateTime>
#include <QDir>
#include <QHash>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kInbox = u"INBOX"_s;

Error nameError(const QString& message)
{
    return Error::invalid(u"name"_s, message);
}

// RFC 6154 §2 attributes a client may ask CREATE-SPECIAL-USE for.
Result<QString> canonicalSpecialUse(const QString& specialUse)
{
    if (specialUse.isEmpty())
        return QString();
    static const QStringList known{u"\\All"_s,  u"\\Archive"_s, u"\\Drafts"_s, u"\\Flagged"_s,
                                   u"\\Junk"_s, u"\\Sent"_s,    u"\\Trash"_s};
    for (const QString& attribute : known)
    {
        if (attribute.compare(specialUse, Qt::CaseInsensitive) == 0)
            return attribute;
    }
    return Error::invalid(u"special_use"_s, u"%1 is not a special-use attribute"_s.arg(specialUse));
}

// Every folder of the mailbox by name; read inside the caller's transaction.
Result<QHash<QString, qint64>> folderIds(const Database& database, qint64 mailboxId)
{
    auto query = database.run(u"SELECT name, id FROM folders WHERE mailbox_id = ?"_s, {mailboxId});
    if (!query)
        return query.error();
    QHash<QString, qint64> ids;
    while (query->next())
        ids.insert(query->value(0).toString(), query->value(1).toLongLong());
    query->finish();
    return ids;
}

bool hasChildren(const QHash<QString, qint64>& folders, const QString& name)
{
    const QString prefix = name + u'/';
    return std::any_of(folders.keyBegin(), folders.keyEnd(),
                       [&prefix](const QString& folder) { return folder.startsWith(prefix); });
}

// Starts the transaction with a write on the mailbox row, so a concurrent writer makes this one
// wait (busy timeout) rather than fail on a stale snapshot; NotFound when the mailbox is gone.
Status lockMailbox(const Database& database, qint64 mailboxId)
{
    const auto locked =
        database.run(u"UPDATE mailboxes SET last_uidvalidity = last_uidvalidity WHERE id = ?"_s, {mailboxId});
    if (!locked)
        return locked.error();
    if (locked->numRowsAffected() != 1)
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    return {};
}

// Inserts the levels of `name` that do not exist (the last one only when `withLeaf`), inside the
// caller's transaction; returns the last level made.
Result<CreatedFolder> insertLevels(const Database& database, qint64 mailboxId, const QString& name,
                                   const QString& specialUse, bool withLeaf)
{
    const auto existing = folderIds(database, mailboxId);
    if (!existing)
        return existing.error();
    if (withLeaf && existing->contains(name))
        return Error::conflict(u"folder %1 already exists"_s.arg(name), u"name"_s);
    // RFC 9051 §2.3.1.1: a folder's UIDVALIDITY must differ from that of any earlier folder of
    // the name; taking one above every value the mailbox ever used also covers a folder
    // deleted and made again within the same second.
    auto floor = MailIndex::lastUidValidity(database, mailboxId);
    if (!floor)
        return floor.error();
    qint64 last = *floor;

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QStringList levels = name.split(u'/');
    CreatedFolder created;
    for (qsizetype depth = 1; depth <= levels.size(); ++depth)
    {
        const bool leaf = depth == levels.size();
        if (leaf && !withLeaf)
            break;
        const QString level = levels.mid(0, depth).join(u'/');
        if (existing->contains(level))
            continue;
        last = std::max(now, last + 1);
        // Subscribed like the standard folders: clients that list only subscribed folders show it.
        const auto inserted =
            database.run(u"INSERT INTO folders (mailbox_id, name, special_use, uidvalidity, uidnext, highest_modseq, "
                         "subscribed, created_at) VALUES (?, ?, ?, ?, 1, 1, 1, ?)"_s,
                         {mailboxId, level, leaf ? specialUse : QString(), last, now});
        if (!inserted)
            return inserted.error();
        created = {inserted->lastInsertId().toLongLong(), last};
    }
    if (const Status recorded = MailIndex::recordUidValidity(database, mailboxId, last); !recorded)
        return recorded.error();
    return created;
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
} // namespace

FolderAdmin::FolderAdmin(const Database& database, const DataPaths& paths, DurableCommitter& committer)
    : m_database(database), m_paths(paths), m_committer(committer)
{
}

Status FolderAdmin::validateName(const QString& name)
{
    if (name.isEmpty())
        return nameError(u"a folder name is required"_s);
    if (name.toUtf8().size() > kMaxNameBytes)
        return nameError(u"a folder name is at most %1 bytes long"_s.arg(kMaxNameBytes));
    if (name.startsWith(u'/') || name.endsWith(u'/'))
        return nameError(u"a folder name neither starts nor ends with \"/\""_s);
    if (name.contains(u"//"_s))
        return nameError(u"a folder name has no empty levels"_s);
    for (const QChar c : name)
    {
        // RFC 9051 §6.3.9: "%" and "*" are LIST wildcards, so a folder with one could not be listed alone.
        if (c == u'%' || c == u'*')
            return nameError(u"a folder name contains no \"%\" or \"*\""_s);
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return nameError(u"a folder name contains no control characters"_s);
    }
    return {};
}

QString FolderAdmin::canonicalName(const QString& name)
{
    // RFC 9051 §5.1: INBOX is case-insensitive, also as the parent of other folders.
    const qsizetype slash = name.indexOf(u'/');
    const QString first = slash < 0 ? name : name.left(slash);
    if (first.compare(kInbox, Qt::CaseInsensitive) != 0)
        return name;
    return slash < 0 ? kInbox : kInbox + name.mid(slash);
}

Result<CreatedFolder> FolderAdmin::create(qint64 mailboxId, const QString& name, const QString& specialUse) const
{
    // RFC 9051 §6.3.4: a trailing separator only declares that children will follow.
    QString wanted = name;
    if (wanted.endsWith(u'/') && wanted.size() > 1)
        wanted.chop(1);
    if (const Status valid = validateName(wanted); !valid)
        return valid.error();
    wanted = canonicalName(wanted);
    if (wanted == kInbox)
        return Error::conflict(u"folder INBOX already exists"_s, u"name"_s);
    const auto use = canonicalSpecialUse(specialUse);
    if (!use)
        return use.error();
    return createLevels(mailboxId, wanted, *use);
}

Result<CreatedFolder> FolderAdmin::createLevels(qint64 mailboxId, const QString& name, const QString& specialUse) const
{
    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started().error();
    if (const Status locked = lockMailbox(m_database, mailboxId); !locked)
        return locked.error();
    if (!specialUse.isEmpty())
    {
        // RFC 6154 §3: one folder per special use; another would leave clients guessing.
        auto holder = m_database.run(u"SELECT name FROM folders WHERE mailbox_id = ? AND special_use = ?"_s,
                                     {mailboxId, specialUse});
        if (!holder)
            return holder.error();
        if (holder->next())
            return Error::invalid(u"special_use"_s, u"folder %1 already has the attribute %2"_s.arg(
                                                        holder->value(0).toString(), specialUse));
    }
    const auto created = insertLevels(m_database, mailboxId, name, specialUse, true);
    if (!created)
        return created.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return created;
}

Status FolderAdmin::rename(qint64 mailboxId, const QString& from, const QString& to) const
{
    if (const Status valid = validateName(from); !valid)
        return valid;
    if (const Status valid = validateName(to); !valid)
        return valid;
    const QString source = canonicalName(from);
    const QString target = canonicalName(to);
    if (target == kInbox)
        return Error::conflict(u"folder INBOX already exists"_s, u"name"_s);
    if (source == kInbox)
        return renameInbox(mailboxId, target);
    if (target == source || target.startsWith(source + u'/'))
        return nameError(u"a folder cannot be renamed to itself or below itself"_s);

    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started();
    if (const Status locked = lockMailbox(m_database, mailboxId); !locked)
        return locked;
    const auto folders = folderIds(m_database, mailboxId);
    if (!folders)
        return folders.error();
    if (!folders->contains(source))
        return Error::notFound(u"folder %1 does not exist"_s.arg(source));
    if (folders->contains(target))
        return Error::conflict(u"folder %1 already exists"_s.arg(target), u"name"_s);
    // RFC 9051 §6.3.6: superior names the new name needs are created.
    if (const auto parents = insertLevels(m_database, mailboxId, target, {}, false); !parents)
        return parents.error();
    // The folder and its children keep their ids, directories and UIDVALIDITY: the (name,
    // UIDVALIDITY) pairs are still new, as no folder of the mailbox ever had that UIDVALIDITY.
    const QString childPrefix = source + u'/';
    for (auto it = folders->cbegin(); it != folders->cend(); ++it)
    {
        if (it.key() != source && !it.key().startsWith(childPrefix))
            continue;
        const auto renamed = m_database.run(u"UPDATE folders SET name = ? WHERE id = ?"_s,
                                            {QString(target + it.key().mid(source.size())), it.value()});
        if (!renamed)
        {
            if (renamed.error().code == ErrorCode::Conflict)
                return Error::conflict(u"a child of %1 would clash with an existing folder"_s.arg(target), u"name"_s);
            return renamed.error();
        }
    }
    return transaction.commit();
}

Status FolderAdmin::renameInbox(qint64 mailboxId, const QString& to) const
{
    // RFC 9051 §6.3.6: renaming INBOX moves all its messages into a new folder of the new name
    // and leaves INBOX empty; its children are not renamed.
    const auto created = create(mailboxId, to);
    if (!created)
        return created.error();
    auto inbox = m_database.run(u"SELECT f.id, m.uid FROM folders f LEFT JOIN messages m ON m.folder_id = f.id "
                                "WHERE f.mailbox_id = ? AND f.name = 'INBOX' ORDER BY m.uid"_s,
                                {mailboxId});
    if (!inbox)
        return inbox.error();
    qint64 inboxId = 0;
    QList<qint64> uids;
    while (inbox->next())
    {
        inboxId = inbox->value(0).toLongLong();
        if (!inbox->isNull(1))
            uids.append(inbox->value(1).toLongLong());
    }
    inbox->finish();
    if (inboxId == 0 || uids.isEmpty())
        return {};
    const auto moved = MessageCopier(m_database, m_paths, m_committer).move(mailboxId, inboxId, uids, created->id);
    if (!moved)
    {
        // Undo the CREATE so a retry does not meet ALREADYEXISTS; INBOX is as it was.
        if (const Status undone = remove(mailboxId, canonicalName(to)); !undone)
            qCWarning(lcStorage).noquote()
                << "cannot remove" << to << "after a failed INBOX rename:" << undone.error().message;
        return moved.error();
    }
    return {};
}

Status FolderAdmin::remove(qint64 mailboxId, const QString& name) const
{
    if (const Status valid = validateName(name); !valid)
        return valid;
    const QString folder = canonicalName(name);
    // RFC 9051 §6.3.5: it is an error to delete INBOX.
    if (folder == kInbox)
        return nameError(u"INBOX cannot be deleted"_s);
    const auto directory = mailboxDirectory(m_database, m_paths, mailboxId);
    if (!directory)
        return directory.error();

    qint64 folderId = 0;
    {
        Transaction transaction(m_database);
        if (!transaction.started())
            return transaction.started();
        if (const Status locked = lockMailbox(m_database, mailboxId); !locked)
            return locked;
        const auto folders = folderIds(m_database, mailboxId);
        if (!folders)
            return folders.error();
        folderId = folders->value(folder);
        if (folderId == 0)
            return Error::notFound(u"folder %1 does not exist"_s.arg(folder));
        // Folders here are always selectable, so there is no \Noselect parent to leave behind.
        if (hasChildren(*folders, folder))
            return Error::conflict(u"folder %1 has child folders"_s.arg(folder), u"children"_s);
        auto totals =
            m_database.run(u"SELECT COALESCE(SUM(size), 0), COUNT(*) FROM messages WHERE folder_id = ?"_s, {folderId});
        if (!totals)
            return totals.error();
        const qint64 bytes = totals->next() ? totals->value(0).toLongLong() : 0;
        const qint64 count = totals->value(1).toLongLong();
        totals->finish();
        // The messages go with the folder (ON DELETE CASCADE).
        if (const auto deleted = m_database.run(u"DELETE FROM folders WHERE id = ?"_s, {folderId}); !deleted)
            return deleted.error();
        // RFC 9208 §5: usage goes down by what was removed, never below zero.
        const auto counted =
            m_database.run(u"UPDATE mailbox_usage SET bytes = CASE WHEN bytes > ? THEN bytes - ? ELSE 0 END, "
                           "messages = CASE WHEN messages > ? THEN messages - ? ELSE 0 END WHERE mailbox_id = ?"_s,
                           {bytes, bytes, count, count, mailboxId});
        if (!counted)
            return counted.error();
        if (const Status committed = transaction.commit(); !committed)
            return committed;
    }

    // Only now that the rows are gone. A crash before this leaves a directory without a folder
    // row, which recovery reports and leaves alone; files hard-linked into other folders keep
    // their other names.
    const QString folderDirectory = MaildirLayout::folderDirectory(*directory, folderId);
    if (!QDir(folderDirectory).removeRecursively())
        qCWarning(lcStorage).noquote() << "cannot remove the directory of deleted folder" << folderDirectory;
    else if (QDir(*directory).exists())
    {
        if (const Status synced = syncPath(*directory, false); !synced)
            qCWarning(lcStorage).noquote() << synced.error().message;
    }
    return {};
}

Status FolderAdmin::setSubscribed(qint64 mailboxId, const QString& name, bool subscribed) const
{
    if (const Status valid = validateName(name); !valid)
        return valid;
    // RFC 9051 §6.3.7 lets a server refuse subscribing to a folder that does not exist.
    const auto updated = m_database.run(u"UPDATE folders SET subscribed = ? WHERE mailbox_id = ? AND name = ?"_s,
                                        {subscribed ? 1 : 0, mailboxId, canonicalName(name)});
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return Error::notFound(u"folder %1 does not exist"_s.arg(canonicalName(name)));
    return {};
}

} // namespace promail
