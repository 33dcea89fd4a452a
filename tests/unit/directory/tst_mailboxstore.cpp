#include "directory/aliasstore.h"
#include "directory/domainaliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directory/recipientresolver.h"
#include "directorytestfixture.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
// Made with `openssl passwd -6 -salt Zx8QpL2mRt4vWy6a 'correct horse battery'` (Dovecot's
// SHA512-CRYPT is crypt(3) $6$ behind a scheme prefix), never by PasswordHasher.
const QString kImportedHash =
    u"{SHA512-CRYPT}$6$Zx8QpL2mRt4vWy6a$IOKaXIhR9LRPRNNb96vDBOoAzMKlArJluYiioDeG.f8nHJ6cOEUS870R9"
    ".ja/IUX5etwPmbKblyrxNSZ.HxC21"_s;
const QString kImportedPassword = u"correct horse battery"_s;
using test::kPassword;
} // namespace

// The rules of issue 2 "Mail directory" that MailboxStore enforces: local parts, passwords and
// imported hashes, removal with or without the mail, and logins.
class TestMailboxStore : public QObject, private test::DirectoryStoreTest
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // Local parts and mailboxes
    void localPartRules_data();
    void localPartRules();
    void mailboxDefaults();
    void mailboxInDomainAliasRefused();
    void importedHashAccepted();
    void badHashRefused_data();
    void badHashRefused();
    void passwordRules();
    void passwordMinLengthFollowsSetting();

    // Removal
    void removeMailboxKeepsMail();
    void removeMailboxDeletesMail();
    void archiveDoesNotCollide();

    // Logins
    void authenticate();
    void authenticateRehashesImportedHash();
};

void TestMailboxStore::init()
{
    const QString setUp = startFixture();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
}

void TestMailboxStore::cleanup()
{
    stopFixture();
}

// ---- Local parts and mailboxes ------------------------------------------------------------------

void TestMailboxStore::localPartRules_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("localPart");
    QTest::addColumn<QString>("stored"); // empty: refused
    QTest::addColumn<QString>("phrase");

    const QString letters = u"only letters, digits, '.' and '-' are allowed"_s;
    const QString aliasLetters = u"only letters, digits, '.', '-' and the wildcard '*' are allowed"_s;
    const QString dots = u"a '.' may not start or end the local part or follow another '.'"_s;
    struct Rule
    {
        const char* name;
        QString localPart;
        QString stored;
        QString phrase; // empty with an empty `stored`: `culprit` is not an allowed character
        QChar culprit;
        bool aliasOnly = false; // '*' rows: accepted for aliases only
    };
    const QList<Rule> rules{
        {"plain", u"john.doe-2"_s, u"john.doe-2"_s, {}, {}},
        {"upper case is folded", u"John.Doe"_s, u"john.doe"_s, {}, {}},
        {"64 characters", QString(64, u'a'), QString(64, u'a'), {}, {}},
        {"65 characters", QString(65, u'a'), {}, u"the local part is longer than 64 characters"_s, {}},
        {"underscore", u"john_doe"_s, {}, {}, u'_'},
        {"space", u"john doe"_s, {}, {}, u' '},
        {"plus", u"john+doe"_s, {}, u"'+' is not allowed: it separates sub-addresses (user+tag)"_s, {}},
        {"leading dot", u".john"_s, {}, dots, {}},
        {"trailing dot", u"john."_s, {}, dots, {}},
        {"double dot", u"john..doe"_s, {}, dots, {}},
        {".app suffix", u"mail.app"_s, {}, u"names ending in '.app' are reserved for applications"_s, {}},
        {"upper-case .APP suffix", u"Mail.APP"_s, {}, u"names ending in '.app' are reserved"_s, {}},
        {"app without dot", u"myapp"_s, u"myapp"_s, {}, {}},
        {".apple is not .app", u"x.apple"_s, u"x.apple"_s, {}, {}},
        {"empty", QString(), {}, u"the local part is empty"_s, {}},
        {"wildcard", u"sales-*"_s, u"sales-*"_s, {}, u'*', true},
    };
    for (const QString& kind : {u"mailbox"_s, u"list"_s, u"alias"_s})
    {
        for (const Rule& rule : rules)
        {
            QString stored = rule.stored;
            QString phrase = rule.phrase;
            if (rule.aliasOnly && kind != u"alias")
            {
                stored.clear();
                phrase = letters + u", not '*'"_s;
            }
            else if (phrase.isEmpty() && stored.isEmpty())
            {
                // The message names the allowed set and the culprit.
                phrase = (kind == u"alias" ? aliasLetters : letters) + u", not '%1'"_s.arg(rule.culprit);
            }
            QTest::addRow("%s: %s", qPrintable(kind), rule.name) << kind << rule.localPart << stored << phrase;
        }
    }
}

void TestMailboxStore::localPartRules()
{
    QFETCH(QString, kind);
    QFETCH(QString, localPart);
    QFETCH(QString, stored);
    QFETCH(QString, phrase);

    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    const QString address = localPart + u"@example.org"_s;
    QString error;
    QString field;
    QString code;
    QString storedLocal;
    auto take = [&](const auto& result, auto localOf)
    {
        if (result.ok())
        {
            storedLocal = localOf(*result);
            return;
        }
        code = errorCodeName(result.error().code);
        field = result.error().field;
        error = result.error().message;
    };
    if (kind == u"mailbox")
    {
        take(createMailbox(address), [](const Mailbox& m) { return m.localPart; });
    }
    else if (kind == u"list")
    {
        MailingListInput input;
        input.address = address;
        input.members = QStringList{u"x@partner.test"_s};
        take(ListStore(context()).create(input), [](const MailingList& l) { return l.localPart; });
    }
    else
    {
        take(AliasStore(context()).create({address, QStringList{u"x@partner.test"_s}, {}}),
             [](const Alias& a) { return a.localPart; });
    }

    if (!stored.isEmpty())
    {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(storedLocal, stored);
        return;
    }
    QCOMPARE(code, u"invalid"_s);
    QCOMPARE(field, u"address"_s);
    QVERIFY2(error.contains(phrase), qPrintable(u"message \""_s + error + u"\" lacks \""_s + phrase + u'"'));
    // The message quotes the address it refused.
    QVERIFY2(error.startsWith(u"'"_s + address.trimmed() + u"': "_s), qPrintable(error));
    QCOMPARE(count(u"SELECT (SELECT COUNT(*) FROM mailboxes) + (SELECT COUNT(*) FROM lists) + "
                   "(SELECT COUNT(*) FROM aliases WHERE is_system = 0)"_s),
             0);
}

void TestMailboxStore::mailboxDefaults()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    const auto created = createMailbox(u"Alice@Example.ORG"_s);
    PROMAIL_VERIFY_OK(created);
    QCOMPARE(created->address(), u"alice@example.org"_s);
    QCOMPARE(created->imap, true);
    QCOMPARE(created->pop3, false); // issue 2: POP3 off by default
    QCOMPARE(created->smtp, true);
    QCOMPARE(created->sieve, true);
    QCOMPARE(created->active, true);
    QCOMPARE(taggedMailName(created->taggedMail), u"inbox"_s);
    QCOMPARE(created->quotaMib, 0);
    QVERIFY2(created->passwordHash.startsWith(u"{ARGON2ID}$argon2id$"_s), qPrintable(created->passwordHash));
    QVERIFY(QFileInfo(mailboxFolder(u"example.org"_s, u"alice"_s)).isDir());

    MailboxInput change;
    change.address = u"alice@example.org"_s;
    change.pop3 = true;
    change.taggedMail = TaggedMail::Folder;
    const auto updated = MailboxStore(context()).update(change);
    PROMAIL_VERIFY_OK(updated);
    QCOMPARE(updated->pop3, true);
    QCOMPARE(taggedMailName(updated->taggedMail), u"folder"_s);
    QCOMPARE(updated->passwordHash, created->passwordHash); // no password given: kept
}

void TestMailboxStore::mailboxInDomainAliasRefused()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"example.net"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_ERROR(createMailbox(u"alice@example.net"_s), "invalid", "address",
                         "example.net is a domain alias of example.org; create the mailbox there");
    PROMAIL_VERIFY_ERROR(createMailbox(u"alice@nowhere.test"_s), "not_found", "", "there is no domain nowhere.test");
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 0);
}

void TestMailboxStore::importedHashAccepted()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    MailboxInput input;
    input.address = u"alice@example.org"_s;
    input.passwordHash = kImportedHash;
    const auto created = MailboxStore(context()).create(input);
    PROMAIL_VERIFY_OK(created);
    QCOMPARE(created->passwordHash, kImportedHash); // stored as given until the next login

    // Bare crypt(3) string, without the Dovecot scheme prefix.
    input.address = u"bob@example.org"_s;
    input.passwordHash = kImportedHash.mid(u"{SHA512-CRYPT}"_s.size());
    const auto bare = MailboxStore(context()).create(input);
    PROMAIL_VERIFY_OK(bare);
    QCOMPARE(bare->passwordHash, u"$6$Zx8QpL2mRt4vWy6a$IOKaXIhR9LRPRNNb96vDBOoAzMKlArJluYiioDeG.f8nHJ6cOEUS870R9"
                                 ".ja/IUX5etwPmbKblyrxNSZ.HxC21"_s);
}

void TestMailboxStore::badHashRefused_data()
{
    QTest::addColumn<QString>("hash");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("garbage after scheme") << u"{SHA512-CRYPT}garbage"_s << u"{SHA512-CRYPT} must be followed by"_s;
    QTest::newRow("unknown scheme") << u"{MD5}abcdef"_s << u"unsupported password scheme {MD5}"_s;
    QTest::newRow("plain text") << u"hunter22hunter22"_s << u"unrecognised hash format"_s;
    QTest::newRow("truncated SHA512-CRYPT") << kImportedHash.chopped(10) << u"malformed SHA-crypt hash"_s;
    QTest::newRow("empty") << QString() << u"hash is empty"_s;
}

void TestMailboxStore::badHashRefused()
{
    QFETCH(QString, hash);
    QFETCH(QString, phrase);
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    MailboxInput input;
    input.address = u"alice@example.org"_s;
    input.passwordHash = hash;
    const auto created = MailboxStore(context()).create(input);
    QVERIFY(!created.ok());
    QCOMPARE(errorCodeName(created.error().code), u"invalid"_s);
    QCOMPARE(created.error().field, u"password_hash"_s);
    QVERIFY2(created.error().message.contains(phrase), qPrintable(created.error().message));
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 0);
}

void TestMailboxStore::passwordRules()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    QCOMPARE(m_fixture->settings().intValue(u"password.min_length"_s), 8);
    const MailboxStore mailboxes(context());
    MailboxInput input;
    input.address = u"alice@example.org"_s;

    input.password = u"1234567"_s;
    PROMAIL_VERIFY_ERROR(mailboxes.create(input), "invalid", "password",
                         "the password must have at least 8 characters");
    input.password = kPassword;
    input.passwordHash = kImportedHash;
    PROMAIL_VERIFY_ERROR(mailboxes.create(input), "invalid", "password_hash",
                         "give either password or password_hash, not both");
    input.password.reset();
    input.passwordHash.reset();
    PROMAIL_VERIFY_ERROR(mailboxes.create(input), "invalid", "password", "a password or password_hash is required");
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 0);

    input.password = u"12345678"_s;
    const auto created = mailboxes.create(input);
    PROMAIL_VERIFY_OK(created);

    // The same rules on update; the stored hash stays.
    MailboxInput change;
    change.address = u"alice@example.org"_s;
    change.password = u"short"_s;
    PROMAIL_VERIFY_ERROR(mailboxes.update(change), "invalid", "password", "at least 8 characters");
    change.passwordHash = kImportedHash;
    PROMAIL_VERIFY_ERROR(mailboxes.update(change), "invalid", "password_hash", "not both");
    const auto after = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(after);
    QCOMPARE(after->passwordHash, created->passwordHash);
}

void TestMailboxStore::passwordMinLengthFollowsSetting()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(m_fixture->settings().set(u"password.min_length"_s, QJsonValue(12)));
    MailboxInput input;
    input.address = u"alice@example.org"_s;
    input.password = u"elevenchars"_s;
    PROMAIL_VERIFY_ERROR(MailboxStore(context()).create(input), "invalid", "password",
                         "the password must have at least 12 characters");
    input.password = u"twelve-chars"_s;
    PROMAIL_VERIFY_OK(MailboxStore(context()).create(input));
    // Imported hashes are not held to the length rule: the password is unknown.
    input.address = u"bob@example.org"_s;
    input.password.reset();
    input.passwordHash = kImportedHash;
    PROMAIL_VERIFY_OK(MailboxStore(context()).create(input));
}

// ---- Removal ------------------------------------------------------------------------------------

void TestMailboxStore::removeMailboxKeepsMail()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.postmaster = u"boss@partner.test"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_OK(createMailbox(u"alice@example.org"_s));
    const QString folder = mailboxFolder(u"example.org"_s, u"alice"_s);
    QVERIFY(QDir().mkpath(folder + u"/cur"_s));
    QFile message(folder + u"/cur/1.eml"_s);
    QVERIFY(message.open(QIODevice::WriteOnly));
    message.write("Subject: kept\r\n\r\nhello\r\n");
    message.close();

    const auto removed = MailboxStore(context()).remove(u"alice@example.org"_s, true);
    PROMAIL_VERIFY_OK(removed);
    const QString archiveDir = m_fixture->dataDir() + u"/archive/example.org/"_s;
    QVERIFY2(removed->archivedTo.startsWith(archiveDir + u"alice"_s), qPrintable(removed->archivedTo));
    QVERIFY(!QFileInfo::exists(folder));
    QFile archived(removed->archivedTo + u"/cur/1.eml"_s);
    QVERIFY2(archived.open(QIODevice::ReadOnly), qPrintable(archived.fileName()));
    QCOMPARE(archived.readAll(), "Subject: kept\r\n\r\nhello\r\n"_ba);
    QCOMPARE(QDir(archiveDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);

    PROMAIL_VERIFY_ERROR(MailboxStore(context()).get(u"alice@example.org"_s), "not_found", "",
                         "there is no mailbox alice@example.org");
    // Mail to it now bounces (no catch-all on this domain).
    const auto resolved = RecipientResolver(context()).resolve(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(resolved);
    QCOMPARE(resolutionStatusName(resolved->status), u"unknown"_s);
}

void TestMailboxStore::removeMailboxDeletesMail()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.postmaster = u"boss@partner.test"_s;
    input.catchAll = QStringList{u"catcher@partner.test"_s};
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_OK(createMailbox(u"alice@example.org"_s));
    const QString folder = mailboxFolder(u"example.org"_s, u"alice"_s);
    QVERIFY(QDir().mkpath(folder + u"/cur"_s));
    QFile message(folder + u"/cur/1.eml"_s);
    QVERIFY(message.open(QIODevice::WriteOnly));
    message.write("x");
    message.close();

    const auto removed = MailboxStore(context()).remove(u"alice@example.org"_s, false);
    PROMAIL_VERIFY_OK(removed);
    QCOMPARE(removed->archivedTo, QString());
    QVERIFY(!QFileInfo::exists(folder));
    QVERIFY(!QFileInfo::exists(m_fixture->dataDir() + u"/archive/example.org"_s));
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 0);

    // Mail to it now goes to the catch-all.
    const auto resolved = RecipientResolver(context()).resolve(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(resolved);
    QCOMPARE(resolutionStatusName(resolved->status), u"ok"_s);
    QCOMPARE(resolved->external, QStringList{u"catcher@partner.test"_s});
    QVERIFY(resolved->mailboxes.isEmpty());
}

void TestMailboxStore::archiveDoesNotCollide()
{
    // A mailbox removed with its mail kept, re-created and removed again in the same second
    // must not fail or land in the first archive.
    DomainInput input;
    input.name = u"example.org"_s;
    input.postmaster = u"boss@partner.test"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    const QString archiveDir = m_fixture->dataDir() + u"/archive/example.org/"_s;
    // Occupy the names that a second-resolution timestamp can produce during this test.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList occupied;
    for (int s = 0; s < 5; ++s)
    {
        const QString earlier = archiveDir + u"alice-"_s + now.addSecs(s).toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
        QVERIFY(QDir().mkpath(earlier + u"/cur"_s));
        QFile marker(earlier + u"/cur/earlier.eml"_s);
        QVERIFY(marker.open(QIODevice::WriteOnly));
        occupied.append(earlier);
    }
    PROMAIL_VERIFY_OK(createMailbox(u"alice@example.org"_s));
    const QString folder = mailboxFolder(u"example.org"_s, u"alice"_s);
    QVERIFY(QDir().mkpath(folder + u"/cur"_s));
    QFile message(folder + u"/cur/later.eml"_s);
    QVERIFY(message.open(QIODevice::WriteOnly));
    message.close();

    const auto removed = MailboxStore(context()).remove(u"alice@example.org"_s, true);
    PROMAIL_VERIFY_OK(removed);
    QVERIFY2(!occupied.contains(removed->archivedTo), qPrintable(removed->archivedTo));
    QVERIFY(removed->archivedTo.startsWith(archiveDir + u"alice"_s));
    QVERIFY(QFileInfo::exists(removed->archivedTo + u"/cur/later.eml"_s));
    for (const QString& earlier : occupied)
        QVERIFY(QFileInfo::exists(earlier + u"/cur/earlier.eml"_s));
}

// ---- Logins -------------------------------------------------------------------------------------

void TestMailboxStore::authenticate()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"alice@example.org"_s));
    MailboxInput inactive;
    inactive.address = u"carol@example.org"_s;
    inactive.password = kPassword;
    inactive.active = false;
    PROMAIL_VERIFY_OK(MailboxStore(context()).create(inactive));
    const MailboxStore mailboxes(context());

    const auto ok = mailboxes.authenticate(u"alice@example.org"_s, kPassword);
    PROMAIL_VERIFY_OK(ok);
    QCOMPARE(ok->address(), u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(mailboxes.authenticate(u"Alice@EXAMPLE.org"_s, kPassword));

    // One answer for every failure.
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"alice@example.org"_s, u"s3cret-pasS"_s), "unauthenticated", "",
                         "invalid credentials");
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"alice@example.org"_s, QString()), "unauthenticated", "",
                         "invalid credentials");
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"carol@example.org"_s, kPassword), "unauthenticated", "",
                         "invalid credentials");
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"nobody@example.org"_s, kPassword), "unauthenticated", "",
                         "invalid credentials");
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"not an address"_s, kPassword), "unauthenticated", "",
                         "invalid credentials");
    QCOMPARE(mailboxes.authenticate(u"carol@example.org"_s, kPassword).error().message,
             mailboxes.authenticate(u"alice@example.org"_s, u"wrong"_s).error().message);

    // A current argon2id hash is left alone.
    const auto before = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(before);
    PROMAIL_VERIFY_OK(mailboxes.authenticate(u"alice@example.org"_s, kPassword));
    const auto after = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(after);
    QCOMPARE(after->passwordHash, before->passwordHash);
}

void TestMailboxStore::authenticateRehashesImportedHash()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    MailboxInput input;
    input.address = u"alice@example.org"_s;
    input.passwordHash = kImportedHash;
    PROMAIL_VERIFY_OK(MailboxStore(context()).create(input));
    const MailboxStore mailboxes(context());

    // A failed login changes nothing.
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"alice@example.org"_s, u"wrong horse battery"_s), "unauthenticated",
                         "", "invalid credentials");
    const auto before = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(before);
    QCOMPARE(before->passwordHash, kImportedHash);

    PROMAIL_VERIFY_OK(mailboxes.authenticate(u"alice@example.org"_s, kImportedPassword));
    const auto after = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(after);
    QVERIFY2(after->passwordHash.startsWith(u"{ARGON2ID}$argon2id$v=19$m=47104,t=1,p=1$"_s),
             qPrintable(after->passwordHash));
    // The new hash still opens the mailbox, and the old password is the only one that does.
    PROMAIL_VERIFY_OK(mailboxes.authenticate(u"alice@example.org"_s, kImportedPassword));
    PROMAIL_VERIFY_ERROR(mailboxes.authenticate(u"alice@example.org"_s, u"wrong horse battery"_s), "unauthenticated",
                         "", "invalid credentials");
    const auto again = mailboxes.get(u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(again);
    QCOMPARE(again->passwordHash, after->passwordHash);
}

QTEST_GUILESS_MAIN(TestMailboxStore)
#include "tst_mailboxstore.moc"
