#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QHash>
#include <QString>

namespace promail
{

class Database;

// The start-up sweep of the mail store (ARCHITECTURE.md "Durability"). A crash can leave:
// files in tmp/ that were never committed (deleted here); files renamed into new/ whose rows
// were never committed (indexed here with the folder's next UID, as if delivered now); and,
// only through outside damage, rows whose file is gone (logged and kept, an admin decides).
class MaildirRecovery
{
public:
    MaildirRecovery(const Database& database, const DataPaths& paths);

    Status run() const;

private:
    struct Counts
    {
        int removed = 0;
        int indexed = 0;
        int missing = 0;
    };

    Result<QHash<QString, qint64>> mailboxIds() const;
    void sweepTemporaryFiles(const QString& mailboxDirectory, Counts& counts) const;
    Status indexMailbox(qint64 mailboxId, const QString& mailboxDirectory, Counts& counts) const;

    const Database& m_database;
    const DataPaths& m_paths;
};

} // namespace promail
