#pragma once

#include "core/result.h"

#include <QList>

namespace promail
{

class Database;

// The UIDs expunged from a folder, each with the folder's MODSEQ at its expunge (table
// expunged_messages, migration 6), so QRESYNC can tell a client what vanished since its last
// visit (RFC 7162 §3.2.5.2, §3.2.6). Every code path that deletes message rows records here.
class ExpungeLog
{
public:
    // What vanished after a MODSEQ. Folders older than the log (migration 6) lost the expunges
    // made before it: below `vanished_since` the log is incomplete and the caller must treat every
    // UID under UIDNEXT that is not there any more as vanished.
    struct Vanished
    {
        QList<qint64> uids; // ascending
        bool complete = true;
    };

    explicit ExpungeLog(const Database& database);

    // Inside the caller's transaction, right after the rows are deleted.
    static Status record(const Database& database, qint64 folderId, const QList<qint64>& uids, qint64 modseq);

    Result<Vanished> vanishedSince(qint64 folderId, qint64 modseq) const;

private:
    const Database& m_database;
};

} // namespace promail
