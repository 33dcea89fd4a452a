#include "mailstore/expungelog.h"

#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace promail
{

ExpungeLog::ExpungeLog(const Database& database) : m_database(database)
{
}

Status ExpungeLog::record(const Database& database, qint64 folderId, const QList<qint64>& uids, qint64 modseq)
{
    for (qint64 uid : uids)
    {
        const auto inserted = database.run(u"INSERT INTO expunged_messages (folder_id, uid, modseq) VALUES (?, ?, ?) "
                                           "ON CONFLICT (folder_id, uid) DO UPDATE SET modseq = excluded.modseq"_s,
                                           {folderId, uid, modseq});
        if (!inserted)
            return inserted.error();
    }
    return {};
}

Result<ExpungeLog::Vanished> ExpungeLog::vanishedSince(qint64 folderId, qint64 modseq) const
{
    Vanished vanished;
    auto since = m_database.run(u"SELECT vanished_since FROM folders WHERE id = ?"_s, {folderId});
    if (!since)
        return since.error();
    if (!since->next())
        return Error::notFound(u"folder %1 does not exist"_s.arg(folderId));
    vanished.complete = modseq >= since->value(0).toLongLong();
    since->finish();
    auto query = m_database.run(u"SELECT uid FROM expunged_messages WHERE folder_id = ? AND modseq > ? ORDER BY uid"_s,
                                {folderId, modseq});
    if (!query)
        return query.error();
    while (query->next())
        vanished.uids.append(query->value(0).toLongLong());
    query->finish();
    return vanished;
}

} // namespace promail
