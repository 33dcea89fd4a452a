#pragma once

#include "core/result.h"

#include <QStringList>

namespace promail
{

class Database;

// One forward-only step of the schema. Statements may use %ID% for an auto-increment primary key,
// the only construct SQLite and PostgreSQL spell differently here.
struct Migration
{
    int version;
    QString description;
    QStringList statements;
};

class Migrations
{
public:
    static const QList<Migration>& all();
    static int latestVersion();

    static Result<int> currentVersion(const Database& database);

    // Applies every migration above the current version up to `target` (default: all), each in
    // its own transaction together with its row in schema_migrations.
    static Status apply(const Database& database, int target = -1);
};

} // namespace promail
