// Schema migrations from an empty database and from every earlier version; settings and the
// event log on top of the migrated schema.
#include "storage/database.h"
#include "storage/eventlog.h"
#include "storage/migrations.h"
#include "storage/settingsstore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
QStringList schemaOf(const Database& db)
{
    auto query = db.run(u"SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"_s);
    QStringList rows;
    while (query && query->next())
        rows.append(query->value(0).toString());
    return rows;
}

std::unique_ptr<Database> openIn(const QTemporaryDir& dir, const QString& name)
{
    auto db = Database::open({}, dir.filePath(name));
    if (!db)
        qFatal("cannot open test database: %s", qPrintable(db.error().message));
    return std::move(db.value());
}
} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("startVersion");
        // Every released version; numbers may be reserved and merged later, so they need not be consecutive.
        QTest::addRow("from v0") << 0;
        for (const Migration& migration : Migrations::all())
        {
            if (migration.version < Migrations::latestVersion())
                QTest::addRow("from v%d", migration.version) << migration.version;
        }
    }

    void fromEveryEarlierVersion()
    {
        QFETCH(int, startVersion);
        QTemporaryDir dir;
        auto fresh = openIn(dir, u"fresh.db"_s);
        QVERIFY(Migrations::apply(*fresh).ok());
        QCOMPARE(*Migrations::currentVersion(*fresh), Migrations::latestVersion());

        auto old = openIn(dir, u"old.db"_s);
        QVERIFY(Migrations::apply(*old, startVersion).ok());
        QCOMPARE(*Migrations::currentVersion(*old), startVersion);
        // Data written under the old schema must survive the upgrade.
        if (startVersion >= 1)
            QVERIFY(
                old->run(u"INSERT INTO settings (key, value, updated_at) VALUES ('password.min_length', '[12]', 1)"_s)
                    .ok());
        QVERIFY(Migrations::apply(*old).ok());
        QCOMPARE(*Migrations::currentVersion(*old), Migrations::latestVersion());
        QCOMPARE(schemaOf(*old), schemaOf(*fresh));
        if (startVersion >= 1)
        {
            auto query = old->run(u"SELECT value FROM settings WHERE key = 'password.min_length'"_s);
            QVERIFY(query && query->next());
            QCOMPARE(query->value(0).toString(), u"[12]"_s);
        }
        // Applying again changes nothing.
        QVERIFY(Migrations::apply(*old).ok());
        QCOMPARE(schemaOf(*old), schemaOf(*fresh));
    }

    void versionsAscend()
    {
        // Numbers are reserved per branch and may be merged out of order, but never twice.
        int previous = 0;
        for (const Migration& migration : Migrations::all())
        {
            QVERIFY2(migration.version > previous, qPrintable(QString::number(migration.version)));
            previous = migration.version;
        }
    }

    void appliesALowerVersionMergedLater()
    {
        // A database that got the newest migration before the one below it (merged later) still
        // gets that one, and only it.
        const QList<Migration>& all = Migrations::all();
        const Migration& newest = all.last();
        const Migration& lower = all.at(all.size() - 2);
        const int before = all.size() > 2 ? all.at(all.size() - 3).version : 0;
        QTemporaryDir dir;
        auto db = openIn(dir, u"gap.db"_s);
        QVERIFY(Migrations::apply(*db, before).ok());
        for (QString statement : newest.statements)
            QVERIFY(db->run(statement.replace(u"%ID%"_s, u"INTEGER PRIMARY KEY AUTOINCREMENT"_s)).ok());
        QVERIFY(db->run(u"INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'newest', 0)"_s,
                        {newest.version})
                    .ok());
        QVERIFY(Migrations::apply(*db).ok());
        auto query = db->run(u"SELECT version FROM schema_migrations ORDER BY version"_s);
        QVERIFY(query);
        QList<int> versions;
        while (query->next())
            versions.append(query->value(0).toInt());
        QList<int> expected;
        for (const Migration& migration : all)
            expected.append(migration.version);
        QCOMPARE(versions, expected);
        QVERIFY(versions.contains(lower.version));
    }

    void refusesNewerSchema()
    {
        QTemporaryDir dir;
        auto db = openIn(dir, u"newer.db"_s);
        QVERIFY(Migrations::apply(*db).ok());
        QVERIFY(db->run(u"INSERT INTO schema_migrations (version, description, applied_at) VALUES (999, 'future', 0)"_s)
                    .ok());
        const Status status = Migrations::apply(*db);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().message,
                 u"the database schema (version 999) is newer than this promaild (version %1)"_s.arg(
                     Migrations::latestVersion()));
    }

    void sqliteIsDurableAndEnforcesForeignKeys()
    {
        QTemporaryDir dir;
        auto db = openIn(dir, u"pragmas.db"_s);
        {
            auto mode = db->run(u"PRAGMA journal_mode"_s);
            QVERIFY(mode && mode->next());
            QCOMPARE(mode->value(0).toString(), u"wal"_s);
            auto sync = db->run(u"PRAGMA synchronous"_s);
            QVERIFY(sync && sync->next());
            QCOMPARE(sync->value(0).toInt(), 2); // FULL
        }
        const Status migrated = Migrations::apply(*db);
        QVERIFY2(migrated.ok(), qPrintable(migrated.ok() ? QString() : migrated.error().message));
        const auto orphan =
            db->run(u"INSERT INTO mailboxes (domain_id, local_part, password_hash, created_at, updated_at) "
                    "VALUES (42, 'x', 'h', 0, 0)"_s);
        QVERIFY(!orphan.ok());
        QCOMPARE(orphan.error().code, ErrorCode::Conflict);
    }

    void settingsPersistAndValidate()
    {
        QTemporaryDir dir;
        auto db = openIn(dir, u"settings.db"_s);
        QVERIFY(Migrations::apply(*db).ok());
        SettingsStore settings(*db);
        QVERIFY(settings.load().ok());
        QCOMPARE(settings.intValue(u"password.min_length"_s), 8);
        QCOMPARE(*settings.set(u"password.min_length"_s, QJsonValue(u"12"_s)), QJsonValue(12));
        const auto bad = settings.set(u"password.min_length"_s, QJsonValue(u"0"_s));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().field, u"value"_s);
        QCOMPARE(settings.intValue(u"password.min_length"_s), 12);
        const auto unknown = settings.set(u"no.such_key"_s, QJsonValue(1));
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);

        SettingsStore reloaded(*db);
        QVERIFY(reloaded.load().ok());
        QCOMPARE(reloaded.intValue(u"password.min_length"_s), 12);
    }

    void eventLogPagesNewestFirst()
    {
        QTemporaryDir dir;
        auto db = openIn(dir, u"events.db"_s);
        QVERIFY(Migrations::apply(*db).ok());
        EventLog log(*db);
        for (int i = 1; i <= 5; ++i)
            QVERIFY(log.record(u"local:uid=0"_s, u"domains.create"_s, u"d%1.example.org"_s.arg(i), {{u"n"_s, i}}).ok());
        PageRequest request;
        request.limit = 2;
        QStringList seen;
        for (;;)
        {
            const auto page = log.list(request);
            QVERIFY(page.ok());
            for (const Event& event : page->items)
                seen.append(event.target);
            if (page->nextCursor.isEmpty())
                break;
            request.cursor = page->nextCursor;
        }
        QCOMPARE(seen, (QStringList{u"d5.example.org"_s, u"d4.example.org"_s, u"d3.example.org"_s, u"d2.example.org"_s,
                                    u"d1.example.org"_s}));
        PageRequest filtered;
        filtered.query = u"D3.EXAMPLE"_s;
        const auto page = log.list(filtered);
        QCOMPARE(page->items.size(), 1);
        QCOMPARE(page->items.first().details.value(u"n"_s).toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
