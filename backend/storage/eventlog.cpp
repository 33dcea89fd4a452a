#include "storage/eventlog.h"

#include "storage/database.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

EventLog::EventLog(const Database& database) : m_database(database)
{
}

Status EventLog::record(const QString& actor, const QString& action, const QString& target,
                        const QJsonObject& details) const
{
    const auto result =
        m_database.run(u"INSERT INTO event_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)"_s,
                       {QDateTime::currentSecsSinceEpoch(), actor, action, target,
                        QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    if (!result)
        return result.error();
    return {};
}

Result<Page<Event>> EventLog::list(const PageRequest& request) const
{
    QString sql = u"SELECT id, at, actor, action, target, details FROM event_log WHERE 1 = 1"_s;
    QVariantList bindings;
    if (!request.cursor.isEmpty())
    {
        sql += u" AND id < ?"_s;
        bindings << request.cursor.toLongLong();
    }
    if (!request.query.isEmpty())
    {
        sql += u" AND (LOWER(actor) LIKE ? ESCAPE '\\' OR LOWER(action) LIKE ? ESCAPE '\\' "
               "OR LOWER(target) LIKE ? ESCAPE '\\')"_s;
        const QString pattern = likePattern(request.query);
        bindings << pattern << pattern << pattern;
    }
    sql += u" ORDER BY id DESC LIMIT ?"_s;
    bindings << request.limit + 1;
    auto query = m_database.run(sql, bindings);
    if (!query)
        return query.error();
    QList<Event> rows;
    while (query->next())
    {
        rows.append({query->value(0).toLongLong(), QDateTime::fromSecsSinceEpoch(query->value(1).toLongLong(), Qt::UTC),
                     query->value(2).toString(), query->value(3).toString(), query->value(4).toString(),
                     QJsonDocument::fromJson(query->value(5).toString().toUtf8()).object()});
    }
    return makePage(std::move(rows), request.limit, [](const Event& e) { return QString::number(e.id); });
}

} // namespace promail
