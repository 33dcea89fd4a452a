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
#include <QSqlQuery>
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
const QString kPassword = u"s3cret-pass"_s;
} // namespace

// Every rule of issue 2 "Mail directory" that the stores enforce, each checked by the error
// code, the field and the words it answers with.
class TestDirectoryStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // Domains and domain aliases
    void domainNameStoredAsALabel();
    void duplicateDomain_data();
    void duplicateDomain();
    void invalidDomainName();
    void domainNameTakenByDomainAlias();
    void domainAliasNameTakenByDomain();
    void domainAliasTargetMustExist();
    void domainLimitValidation_data();
    void domainLimitValidation();

    // Limits
    void maxMailboxes();
    void maxAliasesIgnoresSystemAliases();
    void totalQuota();
    void mailboxQuotaAgainstDomainMaximum();
    void unlimitedMailboxOnlyWhenDomainAllows();
    void domainQuotaCannotDropBelowAllocation();

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

    // Shadowing and self-reference
    void addressesDoNotShadow_data();
    void addressesDoNotShadow();
    void wildcardAliasBesideMailbox();
    void aliasToItselfRefused();
    void aliasNeedsDestination();
    void listMemberOfItselfRefused();

    // postmaster@ and abuse@
    void systemAliasesOnNewDomain();
    void systemAliasesNamedOnCreate();
    void systemAliasesFollowDomainUpdate();
    void systemAliasesCannotBeRemoved_data();
    void systemAliasesCannotBeRemoved();
    void systemAliasesCannotBeDeactivated();
    void removingPostmasterTargetConflicts();

    // Removal
    void removeMailboxKeepsMail();
    void removeMailboxDeletesMail();
    void archiveDoesNotCollide();
    void removeDomainWithMailboxes();
    void removeDomainCascades();

    // Logins
    void authenticate();
    void authenticateRehashesImportedHash();

    // Listing
    void domainPaging();
    void domainFilter();

private:
    const DirectoryContext& context() const { return m_fixture->context(); }
    Result<Domain> createDomain(const QString& name);
    Result<Mailbox> createMailbox(const QString& address, std::optional<qint64> quotaMib = std::nullopt);
    qint64 count(const QString& sql) const;
    QString mailboxFolder(const QString& domain, const QString& localPart) const;

    std::unique_ptr<test::DirectoryTestFixture> m_fixture;
};

void TestDirectoryStores::init()
{
    m_fixture = std::make_unique<test::DirectoryTestFixture>();
    const QString setUp = m_fixture->setUp();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
}

void TestDirectoryStores::cleanup()
{
    m_fixture.reset();
}

Result<Domain> TestDirectoryStores::createDomain(const QString& name)
{
    DomainInput input;
    input.name = name;
    return DomainStore(context()).create(input);
}

Result<Mailbox> TestDirectoryStores::createMailbox(const QString& address, std::optional<qint64> quotaMib)
{
    MailboxInput input;
    input.address = address;
    input.password = kPassword;
    input.quotaMib = quotaMib;
    return MailboxStore(context()).create(input);
}

qint64 TestDirectoryStores::count(const QString& sql) const
{
    auto query = m_fixture->database().run(sql);
    if (!query || !query->next())
        return -1;
    return query->value(0).toLongLong();
}

QString TestDirectoryStores::mailboxFolder(const QString& domain, const QString& localPart) const
{
    return m_fixture->dataDir() + u"/mail/"_s + domain + u'/' + localPart;
}

// ---- Domains and domain aliases -----------------------------------------------------------------

void TestDirectoryStores::domainNameStoredAsALabel()
{
    const auto created = createDomain(u"Bücher.Example"_s);
    PROMAIL_VERIFY_OK(created);
    QCOMPARE(created->name, u"xn--bcher-kva.example"_s);
    QCOMPARE(created->nameUnicode, u"bücher.example"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains WHERE name = 'xn--bcher-kva.example'"_s), 1);

    for (const QString& spelling : {u"bücher.example"_s, u"xn--bcher-kva.example"_s, u"BÜCHER.EXAMPLE"_s})
    {
        const auto found = DomainStore(context()).get(spelling);
        PROMAIL_VERIFY_OK(found);
        QCOMPARE(found->name, u"xn--bcher-kva.example"_s);
        QCOMPARE(found->nameUnicode, u"bücher.example"_s);
    }
}

void TestDirectoryStores::duplicateDomain_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("same") << u"example.org"_s << u"example.org"_s << u"domain example.org already exists"_s;
    QTest::newRow("upper case") << u"example.org"_s << u"EXAMPLE.Org"_s << u"domain example.org already exists"_s;
    QTest::newRow("U-label of an A-label")
        << u"xn--bcher-kva.example"_s << u"bücher.example"_s << u"domain xn--bcher-kva.example already exists"_s;
    QTest::newRow("A-label of a U-label")
        << u"bücher.example"_s << u"xn--bcher-kva.example"_s << u"domain xn--bcher-kva.example already exists"_s;
}

void TestDirectoryStores::duplicateDomain()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(QString, phrase);
    PROMAIL_VERIFY_OK(createDomain(first));
    const auto again = createDomain(second);
    QVERIFY(!again.ok());
    QCOMPARE(errorCodeName(again.error().code), u"conflict"_s);
    QCOMPARE(again.error().field, u"name"_s);
    QCOMPARE(again.error().message, phrase);
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains"_s), 1);
}

void TestDirectoryStores::invalidDomainName()
{
    PROMAIL_VERIFY_ERROR(createDomain(u"not a domain"_s), "invalid", "name", "");
    PROMAIL_VERIFY_ERROR(createDomain(u"localhost"_s), "invalid", "name", "");
    PROMAIL_VERIFY_ERROR(createDomain(QString()), "invalid", "name", "");
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains"_s), 0);
}

void TestDirectoryStores::domainNameTakenByDomainAlias()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"example.net"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_ERROR(createDomain(u"example.net"_s), "conflict", "name",
                         "example.net is already a domain alias of example.org");
    PROMAIL_VERIFY_ERROR(createDomain(u"Example.NET"_s), "conflict", "name", "already a domain alias");
}

void TestDirectoryStores::domainAliasNameTakenByDomain()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createDomain(u"example.net"_s));
    const DomainAliasStore aliases(context());
    PROMAIL_VERIFY_ERROR(aliases.create({u"example.net"_s, u"example.org"_s, {}}), "conflict", "name",
                         "example.net is already a domain");
    PROMAIL_VERIFY_OK(aliases.create({u"example.com"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_ERROR(aliases.create({u"EXAMPLE.com"_s, u"example.net"_s, {}}), "conflict", "name",
                         "domain alias example.com already exists");
    const auto stored = aliases.get(u"example.com"_s);
    PROMAIL_VERIFY_OK(stored);
    QCOMPARE(stored->target, u"example.org"_s);
}

void TestDirectoryStores::domainAliasTargetMustExist()
{
    PROMAIL_VERIFY_ERROR(DomainAliasStore(context()).create({u"example.net"_s, u"nowhere.test"_s, {}}), "invalid",
                         "target", "there is no domain nowhere.test");
    QCOMPARE(count(u"SELECT COUNT(*) FROM domain_aliases"_s), 0);
}

void TestDirectoryStores::domainLimitValidation_data()
{
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<qint64>("defaultQuota");
    QTest::addColumn<qint64>("maxQuota");
    QTest::addColumn<int>("maxMailboxes");
    QTest::addColumn<QString>("field"); // empty: accepted
    QTest::addColumn<QString>("phrase");

    QTest::newRow("all unlimited") << 0LL << 0LL << 0LL << 0 << QString() << QString();
    QTest::newRow("default = max = quota") << 100LL << 100LL << 100LL << 0 << QString() << QString();
    QTest::newRow("default > max") << 0LL << 200LL << 100LL << 0 << u"default_quota_mib"_s
                                   << u"default_quota_mib (200) exceeds max_quota_mib (100)"_s;
    QTest::newRow("default > quota") << 100LL << 200LL << 0LL << 0 << u"default_quota_mib"_s
                                     << u"default_quota_mib (200) exceeds the domain quota (100)"_s;
    QTest::newRow("max > quota") << 100LL << 0LL << 200LL << 0 << u"max_quota_mib"_s
                                 << u"max_quota_mib (200) exceeds the domain quota (100)"_s;
    QTest::newRow("negative quota") << -1LL << 0LL << 0LL << 0 << u"quota_mib"_s << u"cannot be negative"_s;
    QTest::newRow("negative max_mailboxes") << 0LL << 0LL << 0LL << -1 << u"max_mailboxes"_s << u"cannot be negative"_s;
}

void TestDirectoryStores::domainLimitValidation()
{
    QFETCH(qint64, quota);
    QFETCH(qint64, defaultQuota);
    QFETCH(qint64, maxQuota);
    QFETCH(int, maxMailboxes);
    QFETCH(QString, field);
    QFETCH(QString, phrase);

    DomainInput input;
    input.name = u"example.org"_s;
    input.quotaMib = quota;
    input.defaultQuotaMib = defaultQuota;
    input.maxQuotaMib = maxQuota;
    input.maxMailboxes = maxMailboxes;
    const auto created = DomainStore(context()).create(input);
    if (field.isEmpty())
    {
        PROMAIL_VERIFY_OK(created);
        QCOMPARE(created->quotaMib, quota);
        QCOMPARE(created->defaultQuotaMib, defaultQuota);
        QCOMPARE(created->maxQuotaMib, maxQuota);
        return;
    }
    QVERIFY(!created.ok());
    QCOMPARE(errorCodeName(created.error().code), u"invalid"_s);
    QCOMPARE(created.error().field, field);
    QVERIFY2(created.error().message.contains(phrase), qPrintable(created.error().message));
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains"_s), 0);

    // The same values are refused on update of an existing domain.
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    const auto updated = DomainStore(context()).update(input);
    QVERIFY(!updated.ok());
    QCOMPARE(errorCodeName(updated.error().code), u"invalid"_s);
    QCOMPARE(updated.error().field, field);
    const auto unchanged = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(unchanged);
    QCOMPARE(unchanged->quotaMib, 0);
    QCOMPARE(unchanged->defaultQuotaMib, 0);
    QCOMPARE(unchanged->maxQuotaMib, 0);
}

// ---- Limits -------------------------------------------------------------------------------------

void TestDirectoryStores::maxMailboxes()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.maxMailboxes = 2;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_OK(createMailbox(u"a@example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"b@example.org"_s));
    PROMAIL_VERIFY_ERROR(createMailbox(u"c@example.org"_s), "conflict", "",
                         "domain example.org already has its maximum of 2 mailboxes");
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 2);
    QVERIFY(!QFileInfo::exists(mailboxFolder(u"example.org"_s, u"c"_s)));

    // The limit cannot be lowered below what the domain already has...
    input.maxMailboxes = 1;
    PROMAIL_VERIFY_ERROR(DomainStore(context()).update(input), "invalid", "max_mailboxes",
                         "the domain already has 2 mailboxes");
    // ...and raising it makes room again.
    input.maxMailboxes = 3;
    PROMAIL_VERIFY_OK(DomainStore(context()).update(input));
    PROMAIL_VERIFY_OK(createMailbox(u"c@example.org"_s));
}

void TestDirectoryStores::maxAliasesIgnoresSystemAliases()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.maxAliases = 1;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    const AliasStore aliases(context());
    // postmaster@ and abuse@ exist already and do not count.
    PROMAIL_VERIFY_OK(aliases.create({u"sales@example.org"_s, QStringList{u"x@partner.test"_s}, {}}));
    PROMAIL_VERIFY_ERROR(aliases.create({u"info@example.org"_s, QStringList{u"x@partner.test"_s}, {}}), "conflict", "",
                         "domain example.org already has its maximum of 1 aliases");
    PROMAIL_VERIFY_ERROR(aliases.create({u"*@example.org"_s, QStringList{u"x@partner.test"_s}, {}}), "conflict", "",
                         "maximum of 1 aliases");
    const auto domain = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(domain);
    QCOMPARE(domain->aliasCount, 1);

    input.maxAliases = 0; // unlimited
    PROMAIL_VERIFY_OK(DomainStore(context()).update(input));
    PROMAIL_VERIFY_OK(aliases.create({u"info@example.org"_s, QStringList{u"x@partner.test"_s}, {}}));
    input.maxAliases = 1;
    PROMAIL_VERIFY_ERROR(DomainStore(context()).update(input), "invalid", "max_aliases",
                         "the domain already has 2 aliases");
}

void TestDirectoryStores::totalQuota()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.quotaMib = 100;
    input.defaultQuotaMib = 40;
    input.maxQuotaMib = 60;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));

    const auto big = createMailbox(u"big@example.org"_s, 60);
    PROMAIL_VERIFY_OK(big);
    QCOMPARE(big->quotaMib, 60);
    const auto defaulted = createMailbox(u"default@example.org"_s); // takes default_quota_mib
    PROMAIL_VERIFY_OK(defaulted);
    QCOMPARE(defaulted->quotaMib, 40);
    // 60 + 40 = 100: full.
    PROMAIL_VERIFY_ERROR(createMailbox(u"one@example.org"_s, 1), "invalid", "quota_mib",
                         "the domain's mailboxes would need 101 MiB, more than its quota of 100 MiB");
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 2);

    MailboxInput grow;
    grow.address = u"default@example.org"_s;
    grow.quotaMib = 41;
    PROMAIL_VERIFY_ERROR(MailboxStore(context()).update(grow), "invalid", "quota_mib",
                         "would need 101 MiB, more than its quota of 100 MiB");
    grow.quotaMib = 30;
    PROMAIL_VERIFY_OK(MailboxStore(context()).update(grow));
    const auto domain = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(domain);
    QCOMPARE(domain->allocatedQuotaMib, 90);
    QCOMPARE(domain->mailboxCount, 2);
    PROMAIL_VERIFY_OK(createMailbox(u"ten@example.org"_s, 10)); // exactly 100 again
}

void TestDirectoryStores::mailboxQuotaAgainstDomainMaximum()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.defaultQuotaMib = 10;
    input.maxQuotaMib = 50;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_ERROR(createMailbox(u"a@example.org"_s, 51), "invalid", "quota_mib",
                         "51 MiB exceeds the domain's largest mailbox quota of 50 MiB");
    PROMAIL_VERIFY_ERROR(createMailbox(u"a@example.org"_s, -5), "invalid", "quota_mib", "cannot be negative");
    PROMAIL_VERIFY_OK(createMailbox(u"a@example.org"_s, 50));
    MailboxInput update;
    update.address = u"a@example.org"_s;
    update.quotaMib = 51;
    PROMAIL_VERIFY_ERROR(MailboxStore(context()).update(update), "invalid", "quota_mib", "largest mailbox quota");
}

void TestDirectoryStores::unlimitedMailboxOnlyWhenDomainAllows()
{
    PROMAIL_VERIFY_OK(createDomain(u"free.org"_s));
    const auto unlimited = createMailbox(u"a@free.org"_s, 0);
    PROMAIL_VERIFY_OK(unlimited);
    QCOMPARE(unlimited->quotaMib, 0);

    DomainInput capped;
    capped.name = u"capped.org"_s;
    capped.maxQuotaMib = 100;
    capped.defaultQuotaMib = 10;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(capped));
    PROMAIL_VERIFY_ERROR(createMailbox(u"a@capped.org"_s, 0), "invalid", "quota_mib",
                         "domain capped.org does not allow unlimited mailboxes (quota 0)");

    DomainInput total;
    total.name = u"total.org"_s;
    total.quotaMib = 100;
    total.defaultQuotaMib = 10;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(total));
    PROMAIL_VERIFY_ERROR(createMailbox(u"a@total.org"_s, 0), "invalid", "quota_mib",
                         "does not allow unlimited mailboxes");
    PROMAIL_VERIFY_OK(createMailbox(u"a@total.org"_s, 5));
    MailboxInput update;
    update.address = u"a@total.org"_s;
    update.quotaMib = 0;
    PROMAIL_VERIFY_ERROR(MailboxStore(context()).update(update), "invalid", "quota_mib",
                         "does not allow unlimited mailboxes");
}

void TestDirectoryStores::domainQuotaCannotDropBelowAllocation()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.quotaMib = 100;
    input.defaultQuotaMib = 30;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_OK(createMailbox(u"a@example.org"_s, 30));
    PROMAIL_VERIFY_OK(createMailbox(u"b@example.org"_s, 60));

    DomainInput lower;
    lower.name = u"example.org"_s;
    lower.quotaMib = 89;
    PROMAIL_VERIFY_ERROR(DomainStore(context()).update(lower), "invalid", "quota_mib",
                         "its mailboxes already have 90 MiB of quota allocated");
    const auto unchanged = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(unchanged);
    QCOMPARE(unchanged->quotaMib, 100);
    lower.quotaMib = 90;
    const auto lowered = DomainStore(context()).update(lower);
    PROMAIL_VERIFY_OK(lowered);
    QCOMPARE(lowered->quotaMib, 90);
    QCOMPARE(lowered->allocatedQuotaMib, 90);
}

// ---- Local parts and mailboxes ------------------------------------------------------------------

void TestDirectoryStores::localPartRules_data()
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

void TestDirectoryStores::localPartRules()
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

void TestDirectoryStores::mailboxDefaults()
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

void TestDirectoryStores::mailboxInDomainAliasRefused()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"example.net"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_ERROR(createMailbox(u"alice@example.net"_s), "invalid", "address",
                         "example.net is a domain alias of example.org; create the mailbox there");
    PROMAIL_VERIFY_ERROR(createMailbox(u"alice@nowhere.test"_s), "not_found", "", "there is no domain nowhere.test");
    QCOMPARE(count(u"SELECT COUNT(*) FROM mailboxes"_s), 0);
}

void TestDirectoryStores::importedHashAccepted()
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

void TestDirectoryStores::badHashRefused_data()
{
    QTest::addColumn<QString>("hash");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("garbage after scheme") << u"{SHA512-CRYPT}garbage"_s << u"{SHA512-CRYPT} must be followed by"_s;
    QTest::newRow("unknown scheme") << u"{MD5}abcdef"_s << u"unsupported password scheme {MD5}"_s;
    QTest::newRow("plain text") << u"hunter22hunter22"_s << u"unrecognised hash format"_s;
    QTest::newRow("truncated SHA512-CRYPT") << kImportedHash.chopped(10) << u"malformed SHA-crypt hash"_s;
    QTest::newRow("empty") << QString() << u"hash is empty"_s;
}

void TestDirectoryStores::badHashRefused()
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

void TestDirectoryStores::passwordRules()
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

void TestDirectoryStores::passwordMinLengthFollowsSetting()
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

// ---- Shadowing and self-reference ---------------------------------------------------------------

void TestDirectoryStores::addressesDoNotShadow_data()
{
    QTest::addColumn<QString>("existing"); // mailbox, list, alias, postmaster
    QTest::addColumn<QString>("creating");
    QTest::addColumn<QString>("message");

    QTest::newRow("alias over mailbox") << u"mailbox"_s << u"alias"_s
                                        << u"taken@example.org already exists as a mailbox"_s;
    QTest::newRow("alias over list") << u"list"_s << u"alias"_s << u"taken@example.org already exists as a list"_s;
    QTest::newRow("alias over alias") << u"alias"_s << u"alias"_s << u"taken@example.org already exists as an alias"_s;
    QTest::newRow("mailbox over alias") << u"alias"_s << u"mailbox"_s
                                        << u"taken@example.org already exists as an alias"_s;
    QTest::newRow("mailbox over list") << u"list"_s << u"mailbox"_s << u"taken@example.org already exists as a list"_s;
    QTest::newRow("mailbox over mailbox")
        << u"mailbox"_s << u"mailbox"_s << u"taken@example.org already exists as a mailbox"_s;
    QTest::newRow("list over mailbox") << u"mailbox"_s << u"list"_s
                                       << u"taken@example.org already exists as a mailbox"_s;
    QTest::newRow("list over alias") << u"alias"_s << u"list"_s << u"taken@example.org already exists as an alias"_s;
    QTest::newRow("mailbox over postmaster@")
        << u"postmaster"_s << u"mailbox"_s << u"postmaster@example.org already exists as an alias"_s;
    QTest::newRow("list over abuse@") << u"abuse"_s << u"list"_s << u"abuse@example.org already exists as an alias"_s;
    QTest::newRow("alias over postmaster@")
        << u"postmaster"_s << u"alias"_s << u"postmaster@example.org already exists as an alias"_s;
}

void TestDirectoryStores::addressesDoNotShadow()
{
    QFETCH(QString, existing);
    QFETCH(QString, creating);
    QFETCH(QString, message);

    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"owner@example.org"_s));
    QString address = u"taken@example.org"_s;
    if (existing == u"mailbox")
    {
        PROMAIL_VERIFY_OK(createMailbox(address));
    }
    else if (existing == u"list")
    {
        MailingListInput list;
        list.address = address;
        list.members = QStringList{u"owner@example.org"_s};
        PROMAIL_VERIFY_OK(ListStore(context()).create(list));
    }
    else if (existing == u"alias")
    {
        PROMAIL_VERIFY_OK(AliasStore(context()).create({address, QStringList{u"owner@example.org"_s}, {}}));
    }
    else
    {
        address = existing + u"@example.org"_s; // a system alias
    }
    const QString upper = address.toUpper(); // the check ignores case
    const qint64 before = count(u"SELECT (SELECT COUNT(*) FROM mailboxes) + (SELECT COUNT(*) FROM lists) + "
                                "(SELECT COUNT(*) FROM aliases)"_s);

    if (creating == u"mailbox")
    {
        const auto created = createMailbox(upper);
        PROMAIL_VERIFY_ERROR(created, "conflict", "address", "");
        QCOMPARE(created.error().message, message);
    }
    else if (creating == u"list")
    {
        MailingListInput list;
        list.address = upper;
        list.members = QStringList{u"owner@example.org"_s};
        const auto created = ListStore(context()).create(list);
        PROMAIL_VERIFY_ERROR(created, "conflict", "address", "");
        QCOMPARE(created.error().message, message);
    }
    else
    {
        const auto created = AliasStore(context()).create({upper, QStringList{u"x@partner.test"_s}, {}});
        PROMAIL_VERIFY_ERROR(created, "conflict", "address", "");
        QCOMPARE(created.error().message, message);
    }
    QCOMPARE(count(u"SELECT (SELECT COUNT(*) FROM mailboxes) + (SELECT COUNT(*) FROM lists) + "
                   "(SELECT COUNT(*) FROM aliases)"_s),
             before);
}

void TestDirectoryStores::wildcardAliasBesideMailbox()
{
    // A wildcard never shadows: exact mailboxes are resolved before wildcards.
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"sales-eu@example.org"_s));
    const auto wildcard =
        AliasStore(context()).create({u"sales-*@example.org"_s, QStringList{u"x@partner.test"_s}, {}});
    PROMAIL_VERIFY_OK(wildcard);
    QCOMPARE(wildcard->isWildcard(), true);
    PROMAIL_VERIFY_OK(AliasStore(context()).create({u"*@example.org"_s, QStringList{u"x@partner.test"_s}, {}}));
}

void TestDirectoryStores::aliasToItselfRefused()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    const AliasStore aliases(context());
    PROMAIL_VERIFY_ERROR(aliases.create({u"loop@example.org"_s, QStringList{u"loop@example.org"_s}, {}}), "invalid",
                         "destinations", "an alias cannot deliver to itself");
    PROMAIL_VERIFY_ERROR(
        aliases.create({u"loop@example.org"_s, QStringList{u"x@partner.test"_s, u"LOOP@Example.org"_s}, {}}), "invalid",
        "destinations", "an alias cannot deliver to itself");
    QCOMPARE(count(u"SELECT COUNT(*) FROM aliases WHERE is_system = 0"_s), 0);

    PROMAIL_VERIFY_OK(aliases.create({u"loop@example.org"_s, QStringList{u"x@partner.test"_s}, {}}));
    PROMAIL_VERIFY_ERROR(aliases.update({u"loop@example.org"_s, QStringList{u"loop@example.org"_s}, {}}), "invalid",
                         "destinations", "an alias cannot deliver to itself");
    const auto kept = aliases.get(u"loop@example.org"_s);
    PROMAIL_VERIFY_OK(kept);
    QCOMPARE(kept->destinations, QStringList{u"x@partner.test"_s});
}

void TestDirectoryStores::aliasNeedsDestination()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    const AliasStore aliases(context());
    PROMAIL_VERIFY_ERROR(aliases.create({u"empty@example.org"_s, QStringList{}, {}}), "invalid", "destinations",
                         "at least one address is needed");
    PROMAIL_VERIFY_ERROR(aliases.create({u"bad@example.org"_s, QStringList{u"not an address"_s}, {}}), "invalid",
                         "destinations", "");
    PROMAIL_VERIFY_ERROR(aliases.create({u"x@nowhere.test"_s, QStringList{u"a@partner.test"_s}, {}}), "not_found", "",
                         "there is no domain nowhere.test");
}

void TestDirectoryStores::listMemberOfItselfRefused()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    MailingListInput input;
    input.address = u"team@example.org"_s;
    input.members = QStringList{u"a@partner.test"_s, u"Team@Example.org"_s};
    PROMAIL_VERIFY_ERROR(ListStore(context()).create(input), "invalid", "members",
                         "a list cannot be a member of itself");
    QCOMPARE(count(u"SELECT COUNT(*) FROM lists"_s), 0);
}

// ---- postmaster@ and abuse@ ---------------------------------------------------------------------

void TestDirectoryStores::systemAliasesOnNewDomain()
{
    const auto domain = createDomain(u"example.org"_s);
    PROMAIL_VERIFY_OK(domain);
    QCOMPARE(domain->postmaster, QString());
    const AliasStore aliases(context());
    for (const QString& name : {u"postmaster@example.org"_s, u"abuse@example.org"_s})
    {
        const auto alias = aliases.get(name);
        PROMAIL_VERIFY_OK(alias);
        QCOMPARE(alias->system, true);
        QCOMPARE(alias->active, true);
        QCOMPARE(alias->destinations, QStringList());
    }

    // The first mailbox receives both until the admin names another; later mailboxes do not.
    PROMAIL_VERIFY_OK(createMailbox(u"first@example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"second@example.org"_s));
    for (const QString& name : {u"postmaster@example.org"_s, u"abuse@example.org"_s})
    {
        const auto alias = aliases.get(name);
        PROMAIL_VERIFY_OK(alias);
        QCOMPARE(alias->destinations, QStringList{u"first@example.org"_s});
    }
    const auto after = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(after);
    QCOMPARE(after->postmaster, u"first@example.org"_s);
    QCOMPARE(after->aliasCount, 0); // system aliases are not counted against max_aliases
}

void TestDirectoryStores::systemAliasesNamedOnCreate()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.postmaster = u"Boss@Partner.Test"_s;
    const auto domain = DomainStore(context()).create(input);
    PROMAIL_VERIFY_OK(domain);
    QCOMPARE(domain->postmaster, u"Boss@partner.test"_s);
    PROMAIL_VERIFY_OK(createMailbox(u"first@example.org"_s));
    for (const QString& name : {u"postmaster@example.org"_s, u"abuse@example.org"_s})
    {
        const auto alias = AliasStore(context()).get(name);
        PROMAIL_VERIFY_OK(alias);
        QCOMPARE(alias->destinations, QStringList{u"Boss@partner.test"_s});
    }

    input.name = u"example.net"_s;
    input.postmaster = u"not an address"_s;
    PROMAIL_VERIFY_ERROR(DomainStore(context()).create(input), "invalid", "postmaster", "");
}

void TestDirectoryStores::systemAliasesFollowDomainUpdate()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"first@example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"admin@example.org"_s));
    DomainInput update;
    update.name = u"example.org"_s;
    update.postmaster = u"admin@example.org"_s;
    const auto updated = DomainStore(context()).update(update);
    PROMAIL_VERIFY_OK(updated);
    QCOMPARE(updated->postmaster, u"admin@example.org"_s);
    for (const QString& name : {u"postmaster@example.org"_s, u"abuse@example.org"_s})
    {
        const auto alias = AliasStore(context()).get(name);
        PROMAIL_VERIFY_OK(alias);
        QCOMPARE(alias->destinations, QStringList{u"admin@example.org"_s});
    }
    const auto resolved = RecipientResolver(context()).resolve(u"abuse@example.org"_s);
    PROMAIL_VERIFY_OK(resolved);
    QCOMPARE(resolved->mailboxes.size(), 1);
    QCOMPARE(resolved->mailboxes.first().address, u"admin@example.org"_s);

    update.postmaster = QString();
    PROMAIL_VERIFY_ERROR(DomainStore(context()).update(update), "invalid", "postmaster",
                         "at least one address is needed");
    const auto kept = DomainStore(context()).get(u"example.org"_s);
    PROMAIL_VERIFY_OK(kept);
    QCOMPARE(kept->postmaster, u"admin@example.org"_s);
}

void TestDirectoryStores::systemAliasesCannotBeRemoved_data()
{
    QTest::addColumn<QString>("address");
    QTest::newRow("postmaster") << u"postmaster@example.org"_s;
    QTest::newRow("abuse") << u"abuse@example.org"_s;
    QTest::newRow("upper case") << u"POSTMASTER@EXAMPLE.ORG"_s;
}

void TestDirectoryStores::systemAliasesCannotBeRemoved()
{
    QFETCH(QString, address);
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_ERROR(AliasStore(context()).remove(address), "forbidden", "",
                         "cannot be removed while its domain exists");
    PROMAIL_VERIFY_OK(AliasStore(context()).get(address));
    QCOMPARE(count(u"SELECT COUNT(*) FROM aliases WHERE is_system = 1"_s), 2);
}

void TestDirectoryStores::systemAliasesCannotBeDeactivated()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"first@example.org"_s));
    const AliasStore aliases(context());
    for (const QString& name : {u"postmaster@example.org"_s, u"abuse@example.org"_s})
    {
        PROMAIL_VERIFY_ERROR(aliases.update({name, std::nullopt, false}), "forbidden", "", "cannot be deactivated");
        // Refused as a whole: the destinations given in the same call are not applied either.
        PROMAIL_VERIFY_ERROR(aliases.update({name, QStringList{u"other@partner.test"_s}, false}), "forbidden", "",
                             "cannot be deactivated");
        const auto alias = aliases.get(name);
        PROMAIL_VERIFY_OK(alias);
        QCOMPARE(alias->active, true);
        QCOMPARE(alias->destinations, QStringList{u"first@example.org"_s});
    }
    // Pointing it elsewhere is allowed (issue 2: "editable, not removable").
    const auto moved = aliases.update({u"abuse@example.org"_s, QStringList{u"abuse-desk@partner.test"_s}, true});
    PROMAIL_VERIFY_OK(moved);
    QCOMPARE(moved->destinations, QStringList{u"abuse-desk@partner.test"_s});
}

void TestDirectoryStores::removingPostmasterTargetConflicts()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"first@example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"second@example.org"_s));
    const MailboxStore mailboxes(context());
    PROMAIL_VERIFY_ERROR(mailboxes.remove(u"first@example.org"_s, false), "conflict", "",
                         "abuse@example.org delivers to first@example.org; point it elsewhere first");
    PROMAIL_VERIFY_OK(mailboxes.get(u"first@example.org"_s));
    QVERIFY(QFileInfo(mailboxFolder(u"example.org"_s, u"first"_s)).isDir());

    // Only abuse@ left on first@: still refused, naming abuse@.
    PROMAIL_VERIFY_OK(
        AliasStore(context()).update({u"postmaster@example.org"_s, QStringList{u"second@example.org"_s}, {}}));
    PROMAIL_VERIFY_ERROR(mailboxes.remove(u"first@example.org"_s, true), "conflict", "",
                         "abuse@example.org delivers to first@example.org");
    // postmaster@ now blocks second@, written in another case.
    PROMAIL_VERIFY_OK(
        AliasStore(context()).update({u"postmaster@example.org"_s, QStringList{u"Second@Example.org"_s}, {}}));
    PROMAIL_VERIFY_ERROR(mailboxes.remove(u"second@example.org"_s, true), "conflict", "",
                         "postmaster@example.org delivers to second@example.org");

    DomainInput update;
    update.name = u"example.org"_s;
    update.postmaster = u"boss@partner.test"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).update(update));
    PROMAIL_VERIFY_OK(mailboxes.remove(u"first@example.org"_s, false));
    PROMAIL_VERIFY_OK(mailboxes.remove(u"second@example.org"_s, false));
}

// ---- Removal ------------------------------------------------------------------------------------

void TestDirectoryStores::removeMailboxKeepsMail()
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

void TestDirectoryStores::removeMailboxDeletesMail()
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

void TestDirectoryStores::archiveDoesNotCollide()
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

void TestDirectoryStores::removeDomainWithMailboxes()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(createMailbox(u"alice@example.org"_s));
    PROMAIL_VERIFY_ERROR(DomainStore(context()).remove(u"example.org"_s), "conflict", "",
                         "domain example.org still has 1 mailboxes; remove them first");
    PROMAIL_VERIFY_OK(DomainStore(context()).get(u"example.org"_s));
    PROMAIL_VERIFY_OK(MailboxStore(context()).get(u"alice@example.org"_s));
    PROMAIL_VERIFY_ERROR(DomainStore(context()).remove(u"nowhere.test"_s), "not_found", "",
                         "there is no domain nowhere.test");
}

void TestDirectoryStores::removeDomainCascades()
{
    DomainInput input;
    input.name = u"example.org"_s;
    input.catchAll = QStringList{u"catcher@partner.test"_s};
    input.postmaster = u"boss@partner.test"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).create(input));
    PROMAIL_VERIFY_OK(createDomain(u"keep.org"_s)); // a bystander whose records must survive
    PROMAIL_VERIFY_OK(AliasStore(context()).create({u"sales@example.org"_s, QStringList{u"a@partner.test"_s}, {}}));
    PROMAIL_VERIFY_OK(AliasStore(context()).create({u"*@example.org"_s, QStringList{u"a@partner.test"_s}, {}}));
    PROMAIL_VERIFY_OK(AliasStore(context()).create({u"sales@keep.org"_s, QStringList{u"a@partner.test"_s}, {}}));
    MailingListInput list;
    list.address = u"team@example.org"_s;
    list.members = QStringList{u"a@partner.test"_s, u"b@partner.test"_s};
    PROMAIL_VERIFY_OK(ListStore(context()).create(list));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"example.net"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"keep.net"_s, u"keep.org"_s, {}}));

    PROMAIL_VERIFY_OK(DomainStore(context()).remove(u"example.org"_s));

    PROMAIL_VERIFY_ERROR(DomainStore(context()).get(u"example.org"_s), "not_found", "", "there is no domain");
    PROMAIL_VERIFY_ERROR(AliasStore(context()).get(u"sales@example.org"_s), "not_found", "", "");
    PROMAIL_VERIFY_ERROR(ListStore(context()).get(u"team@example.org"_s), "not_found", "", "");
    PROMAIL_VERIFY_ERROR(DomainAliasStore(context()).get(u"example.net"_s), "not_found", "", "");
    // keep.org: postmaster@, abuse@, sales@ and their destinations (sales@ has one).
    QCOMPARE(count(u"SELECT COUNT(*) FROM aliases"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM alias_destinations"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM lists"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM list_members"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM catch_all_destinations"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM domain_aliases"_s), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains"_s), 1);

    // The name is free again, and the new domain starts clean.
    const auto again = createDomain(u"example.org"_s);
    PROMAIL_VERIFY_OK(again);
    QCOMPARE(again->catchAll, QStringList());
    QCOMPARE(again->postmaster, QString());
    QCOMPARE(again->aliasCount, 0);
}

// ---- Logins -------------------------------------------------------------------------------------

void TestDirectoryStores::authenticate()
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

void TestDirectoryStores::authenticateRehashesImportedHash()
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

// ---- Listing ------------------------------------------------------------------------------------

void TestDirectoryStores::domainPaging()
{
    for (const QString& name : {u"e.test"_s, u"c.test"_s, u"a.test"_s, u"d.test"_s, u"b.test"_s})
        PROMAIL_VERIFY_OK(createDomain(name));
    const DomainStore domains(context());
    auto names = [](const Page<Domain>& page)
    {
        QStringList result;
        for (const Domain& d : page.items)
            result.append(d.name);
        return result;
    };

    PageRequest request;
    request.limit = 2;
    const auto first = domains.list(request);
    PROMAIL_VERIFY_OK(first);
    QCOMPARE(names(*first), (QStringList{u"a.test"_s, u"b.test"_s}));
    QCOMPARE(first->nextCursor, u"b.test"_s);

    request.cursor = first->nextCursor;
    const auto second = domains.list(request);
    PROMAIL_VERIFY_OK(second);
    QCOMPARE(names(*second), (QStringList{u"c.test"_s, u"d.test"_s}));
    QCOMPARE(second->nextCursor, u"d.test"_s);

    request.cursor = second->nextCursor;
    const auto third = domains.list(request);
    PROMAIL_VERIFY_OK(third);
    QCOMPARE(names(*third), QStringList{u"e.test"_s});
    QCOMPARE(third->nextCursor, QString());

    // Exactly one full page: no cursor to an empty page.
    request.cursor.clear();
    request.limit = 5;
    const auto all = domains.list(request);
    PROMAIL_VERIFY_OK(all);
    QCOMPARE(all->items.size(), 5);
    QCOMPARE(all->nextCursor, QString());
}

void TestDirectoryStores::domainFilter()
{
    for (const QString& name : {u"alpha.test"_s, u"beta.test"_s, u"alphabet.org"_s, u"bücher.example"_s})
        PROMAIL_VERIFY_OK(createDomain(name));
    DomainInput described;
    described.name = u"beta.test"_s;
    described.description = u"Customer ALPHA's second domain"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).update(described));
    const DomainStore domains(context());
    auto listed = [&](const QString& query, int limit)
    {
        PageRequest request;
        request.query = query;
        request.limit = limit;
        QStringList result;
        const auto page = domains.list(request);
        if (page)
        {
            for (const Domain& d : page->items)
                result.append(d.name);
        }
        return result;
    };

    QCOMPARE(listed(u"alpha"_s, 10), (QStringList{u"alpha.test"_s, u"alphabet.org"_s, u"beta.test"_s}));
    QCOMPARE(listed(u"ALPHA"_s, 10), (QStringList{u"alpha.test"_s, u"alphabet.org"_s, u"beta.test"_s}));
    QCOMPARE(listed(u"alpha"_s, 2), (QStringList{u"alpha.test"_s, u"alphabet.org"_s}));
    QCOMPARE(listed(u".org"_s, 10), QStringList{u"alphabet.org"_s});
    QCOMPARE(listed(u"%"_s, 10), QStringList()); // LIKE wildcards are literal
    QCOMPARE(listed(u"nothing"_s, 10), QStringList());
    QCOMPARE(listed(u"xn--bcher"_s, 10), QStringList{u"xn--bcher-kva.example"_s});
    // Domains are shown as U-labels, so an admin filters by what is shown.
    QCOMPARE(listed(u"bücher"_s, 10), QStringList{u"xn--bcher-kva.example"_s});
}

QTEST_GUILESS_MAIN(TestDirectoryStores)
#include "tst_directorystores.moc"
