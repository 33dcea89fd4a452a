#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <memory>

namespace promail
{

enum class SqlDialect
{
    Sqlite,
    PostgreSql,
};

// The database: SQLite (WAL, foreign keys, synchronous=FULL) by default, PostgreSQL for several
// nodes. Qt connections belong to one thread, so each thread gets its own, opened on first use.
// SQL written here stays portable; the few differences are spelled through dialect().
class Database
{
public:
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    // url: empty or "sqlite:PATH" for SQLite, "postgresql://…" for PostgreSQL.
    static Result<std::unique_ptr<Database>> open(const QString& url, const QString& defaultSqlitePath);

    SqlDialect dialect() const { return m_dialect; }
    QSqlDatabase connection() const;

    // Prepares, binds positional values and executes. Finish (or destroy) a SELECT's query before
    // writing on the same connection: an open read keeps its snapshot, and SQLite then refuses
    // the write at once ("database is locked") instead of waiting for the busy timeout. Errors map to the API's
    // vocabulary: a constraint violation is a conflict, a full disk or I/O error is "unavailable".
    Result<QSqlQuery> run(const QString& sql, const QVariantList& bindings = {}) const;

    Status begin() const;
    Status commit() const;
    void rollback() const;

private:
    Database(SqlDialect dialect, QString driver, QString url, QString sqlitePath);
    QString connectionName() const;

    SqlDialect m_dialect;
    QString m_driver;
    QString m_url;
    QString m_sqlitePath;
    QString m_connectionPrefix;
};

// Commits on commit(), rolls back when it goes out of scope first.
class Transaction
{
public:
    explicit Transaction(const Database& database);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    const Status& started() const { return m_started; }
    Status commit();

private:
    const Database& m_database;
    Status m_started;
    bool m_done = false;
};

Error sqlError(const QString& what, const QSqlError& error);

} // namespace promail
