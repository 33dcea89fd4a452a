#include "mailstore/flagstore.h"

#include "mailstore/folderview.h"
#include "storage/database.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §2.3.2: flag names are case-insensitive.
bool containsFlag(const QList<QByteArray>& flags, const QByteArray& flag)
{
    return std::any_of(flags.cbegin(), flags.cend(),
                       [&flag](const QByteArray& f) { return f.compare(flag, Qt::CaseInsensitive) == 0; });
}

QString joined(const QList<QByteArray>& flags)
{
    return QString::fromUtf8(QByteArrayList(flags).join(' '));
}
} // namespace

FlagStore::FlagStore(const Database& database) : m_database(database)
{
}

QList<QByteArray> FlagStore::apply(const QList<QByteArray>& current, FlagChange change, const QList<QByteArray>& flags)
{
    QList<QByteArray> result = change == FlagChange::Add ? current : QList<QByteArray>();
    if (change == FlagChange::Remove)
    {
        for (const QByteArray& flag : current)
        {
            if (!containsFlag(flags, flag))
                result.append(flag);
        }
        return result;
    }
    for (const QByteArray& flag : flags)
    {
        if (!containsFlag(result, flag))
            result.append(flag);
    }
    return result;
}

Result<qint64> FlagStore::setAppendedFlags(const Database& database, qint64 folderId, const QString& file,
                                           const QList<QByteArray>& flags)
{
    if (!flags.isEmpty())
    {
        const auto updated = database.run(u"UPDATE messages SET flags = ? WHERE folder_id = ? AND file = ?"_s,
                                          {QString::fromUtf8(QByteArrayList(flags).join(' ')), folderId, file});
        if (!updated)
            return updated.error();
    }
    auto query = database.run(u"SELECT uid FROM messages WHERE folder_id = ? AND file = ?"_s, {folderId, file});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"message %1 was not added"_s.arg(file));
    const qint64 uid = query->value(0).toLongLong();
    query->finish();
    return uid;
}

Result<QList<FlagUpdate>> FlagStore::change(qint64 folderId, const QList<qint64>& uids, FlagChange change,
                                            const QList<QByteArray>& flags, qint64 unchangedSince) const
{
    QList<FlagUpdate> updates;
    if (uids.isEmpty())
        return updates;
    const QSet<qint64> wanted(uids.cbegin(), uids.cend());
    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started().error();
    // The first statement writes, so a concurrent writer makes this one wait (see FolderIndex).
    const auto bumped =
        m_database.run(u"UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = ?"_s, {folderId});
    if (!bumped)
        return bumped.error();
    if (bumped->numRowsAffected() != 1)
        return Error::notFound(u"folder %1 does not exist"_s.arg(folderId));
    auto modseqQuery = m_database.run(u"SELECT highest_modseq FROM folders WHERE id = ?"_s, {folderId});
    if (!modseqQuery)
        return modseqQuery.error();
    const qint64 modseq = modseqQuery->next() ? modseqQuery->value(0).toLongLong() : 0;
    modseqQuery->finish();

    // A folder's rows are read whole and filtered here: a STORE names few messages or ranges.
    auto rows =
        m_database.run(u"SELECT uid, flags, modseq FROM messages WHERE folder_id = ? ORDER BY uid"_s, {folderId});
    if (!rows)
        return rows.error();
    QList<FlagUpdate> changed;
    while (rows->next())
    {
        const qint64 uid = rows->value(0).toLongLong();
        if (!wanted.contains(uid))
            continue;
        const QList<QByteArray> before = FolderView::splitFlags(rows->value(1).toString());
        const qint64 current = rows->value(2).toLongLong();
        if (unchangedSince >= 0 && current > unchangedSince)
        {
            updates.append(FlagUpdate{uid, before, current, true});
            continue;
        }
        FlagUpdate update{uid, apply(before, change, flags), current};
        if (joined(update.flags) != joined(before))
        {
            update.modseq = modseq;
            changed.append(update);
        }
        updates.append(update);
    }
    rows->finish();
    for (const FlagUpdate& update : std::as_const(changed))
    {
        const auto written =
            m_database.run(u"UPDATE messages SET flags = ?, modseq = ? WHERE folder_id = ? AND uid = ?"_s,
                           {joined(update.flags), update.modseq, folderId, update.uid});
        if (!written)
            return written.error();
    }
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return updates;
}

} // namespace promail
