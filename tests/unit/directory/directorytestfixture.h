#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "directory/directorycontext.h"
#include "directory/domainstore.h"
#include "directory/mailboxstore.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/settingsstore.h"

#include <QByteArray>
#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace promail::test
{

// The password DirectoryTestFixture::createMailbox() gives every mailbox it makes.
inline const QString kPassword = QStringLiteral("s3cret-pass");

// A throw-away data_dir with a migrated promail.db and loaded settings: what the mail directory's
// stores and the resolver work on inside promaild, without the daemon.
class DirectoryTestFixture
{
public:
    DirectoryTestFixture() = default;
    Q_DISABLE_COPY_MOVE(DirectoryTestFixture)

    // Empty on success, otherwise what went wrong (for QVERIFY2).
    QString setUp()
    {
        if (!m_dir.isValid())
            return QStringLiteral("cannot create a temporary directory: ") + m_dir.errorString();
        const DataPaths paths(m_dir.path());
        if (const Status created = paths.create(); !created)
            return created.error().message;
        auto database = Database::open(QString(), paths.database());
        if (!database)
            return database.error().message;
        m_database = std::move(database.value());
        if (const Status migrated = Migrations::apply(*m_database); !migrated)
            return migrated.error().message;
        m_settings = std::make_unique<SettingsStore>(*m_database);
        if (const Status loaded = m_settings->load(); !loaded)
            return loaded.error().message;
        m_context.emplace(DirectoryContext{*m_database, *m_settings, paths});
        return {};
    }

    const DirectoryContext& context() const { return *m_context; }
    const Database& database() const { return *m_database; }
    SettingsStore& settings() { return *m_settings; }
    QString dataDir() const { return m_dir.path(); }

    // A domain with only its name set; everything else keeps DomainInput's defaults.
    Result<Domain> createDomain(const QString& name) const
    {
        DomainInput input;
        input.name = name;
        return DomainStore(context()).create(input);
    }

    // A mailbox with kPassword; no quota takes the domain's default_quota_mib.
    Result<Mailbox> createMailbox(const QString& address, std::optional<qint64> quotaMib = std::nullopt) const
    {
        MailboxInput input;
        input.address = address;
        input.password = kPassword;
        input.quotaMib = quotaMib;
        return MailboxStore(context()).create(input);
    }

    // The first column of the first row of `sql` (a SELECT COUNT(*)), -1 when the query fails.
    qint64 count(const QString& sql) const
    {
        auto query = m_database->run(sql);
        if (!query || !query->next())
            return -1;
        return query->value(0).toLongLong();
    }

    // Where a mailbox's Maildir lives below data_dir.
    QString mailboxFolder(const QString& domain, const QString& localPart) const
    {
        return dataDir() + QStringLiteral("/mail/") + domain + QLatin1Char('/') + localPart;
    }

private:
    // Declaration order is destruction order in reverse: the context goes before what it refers to.
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SettingsStore> m_settings;
    std::optional<DirectoryContext> m_context;
};

// The error message of a failed result, empty for a success. QVERIFY2 evaluates its description
// even when the check passes, and Result::error() of a success is not an error.
template <typename T>
QByteArray failureText(const Result<T>& result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

// The per-test fixture of the directory store tests: a test class derives from this privately
// (beside QObject), calls startFixture()/stopFixture() from its init()/cleanup() slots and uses
// the helpers directly.
class DirectoryStoreTest
{
protected:
    QString startFixture()
    {
        m_fixture = std::make_unique<DirectoryTestFixture>();
        return m_fixture->setUp();
    }
    void stopFixture() { m_fixture.reset(); }

    const DirectoryContext& context() const { return m_fixture->context(); }
    Result<Domain> createDomain(const QString& name) { return m_fixture->createDomain(name); }
    Result<Mailbox> createMailbox(const QString& address, std::optional<qint64> quotaMib = std::nullopt)
    {
        return m_fixture->createMailbox(address, quotaMib);
    }
    qint64 count(const QString& sql) const { return m_fixture->count(sql); }
    QString mailboxFolder(const QString& domain, const QString& localPart) const
    {
        return m_fixture->mailboxFolder(domain, localPart);
    }

    std::unique_ptr<DirectoryTestFixture> m_fixture;
};

} // namespace promail::test

// Stops the test function unless `result` (a Result or Status) succeeded; prints the error.
#define PROMAIL_VERIFY_OK(result)                                                                                      \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto& succeeded_ = (result);                                                                             \
        QVERIFY2(succeeded_.ok(), promail::test::failureText(succeeded_).constData());                                 \
    } while (false)

// Checks a failed Result/Status against a literal error code name ("invalid", "conflict", ...),
// the field it names and a phrase its message must contain.
#define PROMAIL_VERIFY_ERROR(result, codeName, expectedField, phrase)                                                  \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto& failed_ = (result);                                                                                \
        QVERIFY2(!failed_.ok(), "expected an error, the operation succeeded");                                         \
        QCOMPARE(promail::errorCodeName(failed_.error().code), QStringLiteral(codeName));                              \
        QCOMPARE(failed_.error().field, QStringLiteral(expectedField));                                                \
        QVERIFY2(failed_.error().message.contains(QStringLiteral(phrase)),                                             \
                 qPrintable(QStringLiteral("message \"") + failed_.error().message +                                   \
                            QStringLiteral("\" lacks \"" phrase "\"")));                                               \
    } while (false)
