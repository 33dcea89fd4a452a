#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "directory/directorycontext.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/settingsstore.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace promail::test
{

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
