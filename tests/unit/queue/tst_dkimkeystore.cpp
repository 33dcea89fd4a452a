// The DKIM key store on a real SQLite database and data_dir: selectors, key files (0600, PKCS#8,
// gone on delete), the generate/rotate/retire rules, import checks, and which keys sign.
#include "core/datapaths.h"
#include "queue/dkimkeystore.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
template <typename T>
QByteArray failureText(const Result<T>& result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

int modeOf(const QString& path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QStringList selectorsOf(const QList<DkimKeyRecord>& keys)
{
    QStringList selectors;
    for (const DkimKeyRecord& key : keys)
        selectors << key.selector + (key.active ? QString() : u" (retired)"_s);
    return selectors;
}

const QString kMonth = QDateTime::currentDateTimeUtc().toString(u"yyyyMM"_s);
} // namespace

#define PROMAIL_VERIFY_OK(result)                                                                                      \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto& succeeded_ = (result);                                                                             \
        QVERIFY2(succeeded_.ok(), failureText(succeeded_).constData());                                                \
    } while (false)

class TestDkimKeyStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<DataPaths> m_paths;
    std::unique_ptr<Database> m_db;
    std::optional<DkimKeyStore> m_store;

    QString serverId() const
    {
        auto query = m_db->run(u"SELECT value FROM dkim_server_id"_s);
        return query && query->next() ? query->value(0).toString() : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_paths.emplace(m_dir->filePath(u"data"_s));
        PROMAIL_VERIFY_OK(m_paths->create());
        auto db = Database::open({}, m_paths->database());
        PROMAIL_VERIFY_OK(db);
        m_db = std::move(db.value());
        PROMAIL_VERIFY_OK(Migrations::apply(*m_db));
        for (const QString& name : {u"example.org"_s, u"example.com"_s})
            PROMAIL_VERIFY_OK(
                m_db->run(u"INSERT INTO domains (name, created_at, updated_at) VALUES (?, 0, 0)"_s, {name}));
        m_store.emplace(*m_db, *m_paths);
    }

    void generateWritesA0600KeyAndARecord()
    {
        const auto key = m_store->generate(u"example.org"_s, DkimAlgorithm::Rsa, 1024);
        PROMAIL_VERIFY_OK(key);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{8}$"_s).match(serverId()).hasMatch());
        QCOMPARE(key->selector, u"promail-"_s + serverId() + u'-' + kMonth);
        QCOMPARE(key->recordName(), key->selector + u"._domainkey.example.org"_s);
        QVERIFY(key->recordValue.startsWith(u"v=DKIM1; k=rsa; p=MI"_s));
        QCOMPARE(key->bits, 1024);
        QVERIFY(key->active);
        const QString path = m_paths->keys() + u"/dkim-"_s + key->selector + u"._domainkey.example.org.pem"_s;
        QCOMPARE(m_store->keyPath(u"example.org"_s, key->selector), path);
        QCOMPARE(modeOf(path), 0600);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto reloaded = DkimKey::fromText(file.readAll());
        PROMAIL_VERIFY_OK(reloaded);
        QCOMPARE(reloaded->dnsRecord(), key->recordValue);
        QVERIFY(!QFile::exists(path + u".tmp"_s));

        // Same server id for every domain and algorithm.
        const auto ed = m_store->generate(u"example.com"_s, DkimAlgorithm::Ed25519, 0);
        PROMAIL_VERIFY_OK(ed);
        QCOMPARE(ed->selector, u"promail-"_s + serverId() + u'-' + kMonth + u"-ed25519"_s);
        QVERIFY(ed->recordValue.startsWith(u"v=DKIM1; k=ed25519; p="_s));
    }

    void rotateKeepsTheOldKeySigningUntilRetired()
    {
        PROMAIL_VERIFY_OK(m_store->generate(u"example.org"_s, DkimAlgorithm::Rsa, 1024));
        const auto again = m_store->generate(u"example.org"_s, DkimAlgorithm::Rsa, 1024);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(!m_store->rotate(u"example.org"_s, DkimAlgorithm::Ed25519, std::nullopt).ok()); // none to rotate

        const auto rotated = m_store->rotate(u"example.org"_s, std::nullopt, std::nullopt);
        PROMAIL_VERIFY_OK(rotated);
        QCOMPARE(rotated->bits, 1024); // the size of the key it replaces
        const QString base = u"promail-"_s + serverId() + u'-' + kMonth;
        QCOMPARE(rotated->selector, base + u"-2"_s);
        QCOMPARE(m_store->signingKeys(u"example.org"_s).size(), 2);

        PROMAIL_VERIFY_OK(m_store->retire(u"example.org"_s, base));
        QCOMPARE(m_store->retire(u"example.org"_s, base).error().code, ErrorCode::Conflict);
        QCOMPARE(selectorsOf(*m_store->list(u"example.org"_s)), (QStringList{base + u" (retired)"_s, base + u"-2"_s}));
        const QList<DkimSigningKey> signing = m_store->signingKeys(u"example.org"_s);
        QCOMPARE(signing.size(), 1);
        QCOMPARE(signing.first().selector, base + u"-2"_s);
        QCOMPARE(signing.first().domain, u"example.org"_s);

        PROMAIL_VERIFY_OK(m_store->remove(u"example.org"_s, base));
        QVERIFY(!QFile::exists(m_store->keyPath(u"example.org"_s, base)));
        QCOMPARE(m_store->remove(u"example.org"_s, base).error().code, ErrorCode::NotFound);
        QCOMPARE(selectorsOf(*m_store->list(u"example.org"_s)), (QStringList{base + u"-2"_s}));
        QCOMPARE(m_store->list(u"nowhere.example"_s).error().code, ErrorCode::NotFound);
    }

    void importChecksSelectorAndKey()
    {
        const DkimKey key = *DkimKey::generate(DkimAlgorithm::Ed25519);
        const auto imported = m_store->importKey(u"example.org"_s, u"mail.2019"_s, key.privateKeyPem());
        PROMAIL_VERIFY_OK(imported);
        QCOMPARE(imported->recordValue, key.dnsRecord());
        QCOMPARE(m_store->importKey(u"example.org"_s, u"mail.2019"_s, key.privateKeyPem()).error().code,
                 ErrorCode::Conflict);
        for (const QString& bad : {u"../x"_s, u"-a"_s, u"a-"_s, u"a..b"_s, u"UPPER"_s, u""_s, u"a/b"_s})
        {
            const auto refused = m_store->importKey(u"example.org"_s, bad, key.privateKeyPem());
            QVERIFY2(!refused.ok() && refused.error().field == u"selector"_s, qPrintable(bad));
        }
        QCOMPARE(m_store->importKey(u"example.org"_s, u"s2"_s, "not a key"_ba).error().field, u"private_key"_s);
        QCOMPARE(selectorsOf(*m_store->list(u"example.org"_s)), (QStringList{u"mail.2019"_s}));
    }

    // A key file that cannot be read does not stop the others from signing.
    void unreadableKeyIsSkipped()
    {
        const auto rsa = m_store->generate(u"example.org"_s, DkimAlgorithm::Rsa, 1024);
        const auto ed = m_store->generate(u"example.org"_s, DkimAlgorithm::Ed25519, 0);
        PROMAIL_VERIFY_OK(rsa);
        PROMAIL_VERIFY_OK(ed);
        QFile file(m_store->keyPath(u"example.org"_s, rsa->selector));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("garbage");
        file.close();
        const QList<DkimSigningKey> signing = m_store->signingKeys(u"example.org"_s);
        QCOMPARE(signing.size(), 1);
        QCOMPARE(signing.first().selector, ed->selector);
        QCOMPARE(m_store->signingKeys(u"example.com"_s).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDkimKeyStore)
#include "tst_dkimkeystore.moc"
