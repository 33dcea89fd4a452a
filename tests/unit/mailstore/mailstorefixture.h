#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "mailstore/mailstore.h"
#include "storage/database.h"
#include "storage/durablecommitter.h"
#include "storage/migrations.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <QVariantList>

#include <memory>
#include <optional>

namespace promail::test
{

// The error message of a failed result, empty for a success. QVERIFY2 evaluates its description
// even when the check passes, and Result::error() of a success is not an error.
template <typename T>
QByteArray failureText(const Result<T>& result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

} // namespace promail::test

// Stops the test function unless `result` (a Result or Status) succeeded; prints the error.
#define PROMAIL_VERIFY_OK(result)                                                                                      \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto& succeeded_ = (result);                                                                             \
        QVERIFY2(succeeded_.ok(), promail::test::failureText(succeeded_).constData());                                 \
    } while (false)

namespace promail::test
{

// What the mail store tests share, as a base of the test class: a throw-away data_dir with a
// migrated promail.db holding domain example.org and mailbox alice, then the DurableCommitter and
// MailStore that deliveries go through. init() calls openDatabase() and openStore(), cleanup()
// tearDown().
class MailStoreFixture
{
public:
    MailStoreFixture() = default;
    Q_DISABLE_COPY_MOVE(MailStoreFixture)

protected:
    // Empty on success, otherwise what went wrong (for QVERIFY2).
    QString openDatabase()
    {
        using namespace Qt::StringLiterals;
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return u"cannot create a temporary directory: "_s + m_dir->errorString();
        m_paths.emplace(m_dir->path());
        if (const Status created = m_paths->create(); !created)
            return created.error().message;
        auto db = Database::open({}, m_paths->database());
        if (!db)
            return db.error().message;
        m_db = std::move(db.value());
        if (const Status migrated = Migrations::apply(*m_db); !migrated)
            return migrated.error().message;
        if (const auto domain =
                m_db->run(u"INSERT INTO domains (name, created_at, updated_at) VALUES ('example.org', 1, 1)"_s);
            !domain)
            return domain.error().message;
        const auto inserted = m_db->run(u"INSERT INTO mailboxes (domain_id, local_part, password_hash, created_at, "
                                        "updated_at) VALUES (1, 'alice', 'x', 1, 1)"_s);
        if (!inserted)
            return inserted.error().message;
        m_alice = inserted->lastInsertId().toLongLong();
        return {};
    }

    // After openDatabase() succeeded. The committer starts its thread here.
    void openStore()
    {
        m_committer = std::make_unique<DurableCommitter>(*m_db);
        m_store.emplace(*m_db, *m_paths);
    }

    // Store, committer (joins its thread) and database go; the files stay until tearDown().
    void closeDatabase()
    {
        m_store.reset();
        m_committer.reset();
        m_db.reset();
    }

    // The test's own objects on the database must be gone before this.
    void tearDown()
    {
        closeDatabase();
        m_paths.reset();
        m_dir.reset();
    }

    // Rows as "a|b|c" strings, so expectations are literal text.
    QStringList rowsOf(const QString& sql, const QVariantList& bindings = {}) const
    {
        using namespace Qt::StringLiterals;
        auto query = m_db->run(sql, bindings);
        if (!query)
            return {u"error: "_s + query.error().message};
        QStringList rows;
        while (query->next())
        {
            QStringList values;
            for (int i = 0; i < query->record().count(); ++i)
                values.append(query->value(i).toString());
            rows.append(values.join(u'|'));
        }
        return rows;
    }

    // Delivers `body` (after a one-line header) to alice's `folder`; the file is "X: n\r\n\r\n" + body.
    void deliver(const QByteArray& body, const QString& folder = QStringLiteral("INBOX"), const QString& messageId = {})
    {
        using namespace Qt::StringLiterals;
        const QString source = m_dir->filePath(u"source.eml"_s);
        QFile file(source);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("X: n\r\n\r\n"_ba + body);
        file.close();
        Delivery delivery;
        delivery.mailboxId = m_alice;
        delivery.domain = u"example.org"_s;
        delivery.localPart = u"alice"_s;
        delivery.folder = folder;
        delivery.messageId = messageId;
        auto job = m_store->prepare({delivery}, source, QDateTime::fromSecsSinceEpoch(1700000000));
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<DataPaths> m_paths;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<DurableCommitter> m_committer;
    std::optional<MailStore> m_store;
    qint64 m_alice = 0;
};

} // namespace promail::test
