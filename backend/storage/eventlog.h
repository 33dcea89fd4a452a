#pragma once

#include "core/result.h"
#include "storage/paging.h"

#include <QDateTime>
#include <QJsonObject>

namespace promail
{

class Database;

// Who changed what, when and from where: one row per administrative change.
struct Event
{
    qint64 id = 0;
    QDateTime at;
    QString actor;  // e.g. "local:uid=0"
    QString action; // the API method, e.g. "mailboxes.create"
    QString target; // e.g. "alice@example.org"
    QJsonObject details;
};

class EventLog
{
public:
    explicit EventLog(const Database& database);

    Status record(const QString& actor, const QString& action, const QString& target,
                  const QJsonObject& details = {}) const;

    // Newest first; the cursor is the id of the last event already seen.
    Result<Page<Event>> list(const PageRequest& request) const;

private:
    const Database& m_database;
};

} // namespace promail
