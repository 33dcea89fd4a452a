#include "mailstore/mailindex.h"

#include "storage/database.h"

#include <QDateTime>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace promail
{

MailIndex::MailIndex(const Database& database) : m_database(database)
{
}

Status MailIndex::ensureFolders(qint64 mailboxId, const QList<StandardFolder>& folders) const
{
    if (folders.isEmpty())
        return {};
    // Reading first keeps the usual case (all folders there) off the database's write lock.
    QStringList placeholders;
    QVariantList bindings{mailboxId};
    for (const StandardFolder& folder : folders)
    {
        placeholders.append(u"?"_s);
        bindings.append(folder.name);
    }
    auto existing = m_database.run(
        u"SELECT COUNT(*) FROM folders WHERE mailbox_id = ? AND name IN (%1)"_s.arg(placeholders.join(u", "_s)),
        bindings);
    if (!existing)
        return existing.error();
    const bool complete = existing->next() && existing->value(0).toLongLong() == folders.size();
    // An unfinished SELECT keeps its read snapshot; a write after it could not wait for the lock
    // (SQLite answers "database is locked" at once rather than deadlock).
    existing->finish();
    if (complete)
        return {};

    // The transaction starts with a write, so a concurrent writer makes it wait (busy timeout)
    // rather than fail on a stale snapshot.
    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started();
    // UIDVALIDITY never repeats for a name (see lastUidValidity()); UIDs start at 1.
    // A write first takes the lock (see above), then the floor is read in a fresh snapshot.
    const auto locked =
        m_database.run(u"UPDATE mailboxes SET last_uidvalidity = last_uidvalidity WHERE id = ?"_s, {mailboxId});
    if (!locked)
        return locked.error();
    const auto floor = lastUidValidity(m_database, mailboxId);
    if (!floor)
        return floor.error();
    // Folders of different names may share a value; one above the floor keeps every name new.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 last = std::max(now, *floor + 1);
    for (const StandardFolder& folder : folders)
    {
        const auto inserted = m_database.run(
            u"INSERT INTO folders (mailbox_id, name, special_use, uidvalidity, uidnext, highest_modseq, "
            "subscribed, created_at) VALUES (?, ?, ?, ?, 1, 1, 1, ?) ON CONFLICT (mailbox_id, name) DO NOTHING"_s,
            {mailboxId, folder.name, folder.specialUse, last, now});
        if (!inserted)
        {
            // The name clash is handled by ON CONFLICT, so a constraint left is the mailbox's foreign key.
            if (inserted.error().code == ErrorCode::Conflict)
                return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
            return inserted.error();
        }
    }
    if (const Status recorded = recordUidValidity(m_database, mailboxId, last); !recorded)
        return recorded;
    return transaction.commit();
}

Result<qint64> MailIndex::lastUidValidity(const Database& database, qint64 mailboxId)
{
    auto floor = database.run(u"SELECT m.last_uidvalidity, COALESCE(MAX(f.uidvalidity), 0) FROM mailboxes m "
                              "LEFT JOIN folders f ON f.mailbox_id = m.id WHERE m.id = ? GROUP BY m.id"_s,
                              {mailboxId});
    if (!floor)
        return floor.error();
    if (!floor->next())
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    const qint64 last = std::max(floor->value(0).toLongLong(), floor->value(1).toLongLong());
    floor->finish();
    return last;
}

Status MailIndex::recordUidValidity(const Database& database, qint64 mailboxId, qint64 value)
{
    const auto recorded =
        database.run(u"UPDATE mailboxes SET last_uidvalidity = ? WHERE id = ? AND last_uidvalidity < ?"_s,
                     {value, mailboxId, value});
    if (!recorded)
        return recorded.error();
    return {};
}

Result<qint64> MailIndex::findFolder(qint64 mailboxId, const QString& name) const
{
    auto query = m_database.run(u"SELECT id FROM folders WHERE mailbox_id = ? AND name = ?"_s, {mailboxId, name});
    if (!query)
        return query.error();
    const qint64 id = query->next() ? query->value(0).toLongLong() : 0;
    query->finish(); // see ensureFolders(): the caller may write next
    return id;
}

Result<qint64> MailIndex::ensureFolder(qint64 mailboxId, const QString& name) const
{
    const auto found = findFolder(mailboxId, name);
    if (!found || *found != 0)
        return found;
    if (const Status created = ensureFolders(mailboxId, {StandardFolder{name, {}}}); !created)
        return created.error();
    const auto created = findFolder(mailboxId, name);
    if (created && *created == 0)
        return Error::notFound(u"folder %1 of mailbox %2 vanished while it was created"_s.arg(name).arg(mailboxId));
    return created;
}

Result<IndexedMessage> MailIndex::addMessage(const MessageFile& message) const
{
    // RFC 7162 §3.1: every new message gets a MODSEQ above the folder's highest so far.
    const auto bumped = m_database.run(u"UPDATE folders SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 "
                                       "WHERE id = ? AND mailbox_id = ?"_s,
                                       {message.folderId, message.mailboxId});
    if (!bumped)
        return bumped.error();
    if (bumped->numRowsAffected() != 1)
        return Error::notFound(
            u"folder %1 of mailbox %2 no longer exists"_s.arg(message.folderId).arg(message.mailboxId));
    auto counters =
        m_database.run(u"SELECT uidnext - 1, highest_modseq FROM folders WHERE id = ?"_s, {message.folderId});
    if (!counters)
        return counters.error();
    if (!counters->next())
        return Error::notFound(u"folder %1 no longer exists"_s.arg(message.folderId));
    const IndexedMessage indexed{counters->value(0).toLongLong(), counters->value(1).toLongLong()};
    counters->finish();

    const auto inserted =
        m_database.run(u"INSERT INTO messages (folder_id, uid, modseq, file, size, internal_date, flags, message_id) "
                       "VALUES (?, ?, ?, ?, ?, ?, '', ?)"_s,
                       {message.folderId, indexed.uid, indexed.modseq, message.file, message.size, message.internalDate,
                        message.messageId});
    if (!inserted)
        return inserted.error();
    // RFC 9208 §5.1 STORAGE counts bytes, §5.2 MESSAGE counts messages.
    const auto counted = m_database.run(
        u"INSERT INTO mailbox_usage (mailbox_id, bytes, messages) VALUES (?, ?, 1) ON CONFLICT (mailbox_id) "
        "DO UPDATE SET bytes = mailbox_usage.bytes + excluded.bytes, messages = mailbox_usage.messages + 1"_s,
        {message.mailboxId, message.size});
    if (!counted)
        return counted.error();
    return indexed;
}

} // namespace promail
