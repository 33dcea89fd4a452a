#include "storage/database.h"

#include "core/logging.h"

#include <QSqlError>
#include <QThread>
#include <QUrl>
#include <QUuid>

#include <atomic>

using namespace Qt::StringLiterals;

namespace promail
{

Database::Database(SqlDialect dialect, QString driver, QString url, QString sqlitePath)
    : m_dialect(dialect), m_driver(std::move(driver)), m_url(std::move(url)), m_sqlitePath(std::move(sqlitePath)),
      m_connectionPrefix(u"promail-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Database::~Database()
{
    // Close and forget this thread's connection; connections of worker threads are closed by them.
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
    {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
}

Result<std::unique_ptr<Database>> Database::open(const QString& url, const QString& defaultSqlitePath)
{
    std::unique_ptr<Database> database;
    if (url.isEmpty() || url.startsWith(u"sqlite:"_s))
    {
        const QString path = url.isEmpty() ? defaultSqlitePath : url.mid(7);
        if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
            return Error::internal(u"the Qt SQLite driver (libqt6sql6-sqlite) is not installed"_s);
        database.reset(new Database(SqlDialect::Sqlite, u"QSQLITE"_s, url, path));
    }
    else if (url.startsWith(u"postgresql://"_s))
    {
        if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
            return Error::internal(u"the Qt PostgreSQL driver (libqt6sql6-psql) is not installed"_s);
        database.reset(new Database(SqlDialect::PostgreSql, u"QPSQL"_s, url, {}));
    }
    else
    {
        return Error::invalid(u"database.url"_s, u"unsupported database url '%1'"_s.arg(url));
    }
    QSqlDatabase connection = database->connection();
    if (!connection.isOpen())
        return sqlError(u"cannot open the database"_s, connection.lastError());
    return database;
}

QString Database::connectionName() const
{
    // A token per thread that is never reused (thread ids are), so a new thread never inherits
    // the connection of a finished one — Qt refuses a connection made in another thread.
    static std::atomic<quint64> threads{0};
    thread_local const quint64 token = ++threads;
    return m_connectionPrefix + u'-' + QString::number(token);
}

QSqlDatabase Database::connection() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name);

    QSqlDatabase db = QSqlDatabase::addDatabase(m_driver, name);
    if (m_dialect == SqlDialect::Sqlite)
    {
        db.setDatabaseName(m_sqlitePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
    }
    else
    {
        const QUrl url(m_url);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setDatabaseName(url.path().mid(1));
        db.setUserName(url.userName());
        db.setPassword(url.password());
    }
    if (!db.open())
    {
        qCCritical(lcStorage).noquote() << "cannot open database:" << db.lastError().text();
        return db;
    }
    if (m_dialect == SqlDialect::Sqlite)
    {
        // WAL for concurrent readers; FULL so a commit survives a power cut (ARCHITECTURE.md
        // "Durability"); foreign keys are off by default in SQLite.
        QSqlQuery pragma(db);
        for (const QString& statement :
             {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s, u"PRAGMA foreign_keys=ON"_s})
        {
            if (!pragma.exec(statement))
                qCCritical(lcStorage).noquote() << statement << "failed:" << pragma.lastError().text();
        }
    }
    return db;
}

Error sqlError(const QString& what, const QSqlError& error)
{
    const QString native = error.nativeErrorCode();
    const QString text = what + u": "_s + error.text();
    // SQLite result codes (primary code = low byte): 19 constraint, 13 full, 10 I/O error, 5 busy.
    bool numeric = false;
    const int code = native.toInt(&numeric) & 0xff;
    if (numeric && code == 19)
        return Error::conflict(text);
    if (numeric && (code == 13 || code == 10 || code == 5))
        return Error{ErrorCode::Unavailable, text, {}};
    if (native.startsWith(u"23"_s)) // PostgreSQL class 23: integrity constraint violation
        return Error::conflict(text);
    return Error::internal(text);
}

Result<QSqlQuery> Database::run(const QString& sql, const QVariantList& bindings) const
{
    QSqlQuery query(connection());
    if (!query.prepare(sql))
        return sqlError(u"cannot prepare query"_s, query.lastError());
    for (const QVariant& value : bindings)
    {
        // A null QString is "no text yet", not SQL NULL: NULL must be asked for with QVariant().
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query.addBindValue(QString(u""_s));
        else
            query.addBindValue(value);
    }
    if (!query.exec())
    {
        qCWarning(lcStorage).noquote() << "query failed:" << sql << query.lastError().text();
        return sqlError(u"query failed"_s, query.lastError());
    }
    return query;
}

Status Database::begin() const
{
    QSqlDatabase db = connection();
    if (!db.transaction())
        return sqlError(u"cannot begin a transaction"_s, db.lastError());
    return {};
}

Status Database::commit() const
{
    // COMMIT as a statement, not QSqlDatabase::commit(): the Qt SQLite driver drops the native result
    // code on a failed commit, and that code is what tells "disk full" (retry later, 4xx) from a bug.
    QSqlDatabase db = connection();
    QSqlQuery query(db);
    if (!query.exec(u"COMMIT"_s))
    {
        const Error error = sqlError(u"cannot commit"_s, query.lastError());
        db.rollback();
        return error;
    }
    return {};
}

void Database::rollback() const
{
    connection().rollback();
}

Transaction::Transaction(const Database& database) : m_database(database), m_started(database.begin())
{
}

Transaction::~Transaction()
{
    if (m_started && !m_done)
        m_database.rollback();
}

Status Transaction::commit()
{
    if (!m_started)
        return m_started;
    m_done = true;
    return m_database.commit();
}

} // namespace promail
