#include "directory/aliasstore.h"
#include "directory/domainaliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directorytestfixture.h"

#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

// The rules of issue 2 "Mail directory" that DomainStore and DomainAliasStore enforce: names,
// limits and quotas, and what removing a domain takes with it.
class TestDomainStore : public QObject, private test::DirectoryStoreTest
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

    // Removal
    void removeDomainWithMailboxes();
    void removeDomainCascades();
};

void TestDomainStore::init()
{
    const QString setUp = startFixture();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
}

void TestDomainStore::cleanup()
{
    stopFixture();
}

// ---- Domains and domain aliases -----------------------------------------------------------------

void TestDomainStore::domainNameStoredAsALabel()
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

void TestDomainStore::duplicateDomain_data()
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

void TestDomainStore::duplicateDomain()
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

void TestDomainStore::invalidDomainName()
{
    PROMAIL_VERIFY_ERROR(createDomain(u"not a domain"_s), "invalid", "name", "");
    PROMAIL_VERIFY_ERROR(createDomain(u"localhost"_s), "invalid", "name", "");
    PROMAIL_VERIFY_ERROR(createDomain(QString()), "invalid", "name", "");
    QCOMPARE(count(u"SELECT COUNT(*) FROM domains"_s), 0);
}

void TestDomainStore::domainNameTakenByDomainAlias()
{
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_OK(DomainAliasStore(context()).create({u"example.net"_s, u"example.org"_s, {}}));
    PROMAIL_VERIFY_ERROR(createDomain(u"example.net"_s), "conflict", "name",
                         "example.net is already a domain alias of example.org");
    PROMAIL_VERIFY_ERROR(createDomain(u"Example.NET"_s), "conflict", "name", "already a domain alias");
}

void TestDomainStore::domainAliasNameTakenByDomain()
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

void TestDomainStore::domainAliasTargetMustExist()
{
    PROMAIL_VERIFY_ERROR(DomainAliasStore(context()).create({u"example.net"_s, u"nowhere.test"_s, {}}), "invalid",
                         "target", "there is no domain nowhere.test");
    QCOMPARE(count(u"SELECT COUNT(*) FROM domain_aliases"_s), 0);
}

void TestDomainStore::domainLimitValidation_data()
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

void TestDomainStore::domainLimitValidation()
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

void TestDomainStore::maxMailboxes()
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

void TestDomainStore::maxAliasesIgnoresSystemAliases()
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

void TestDomainStore::totalQuota()
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

void TestDomainStore::mailboxQuotaAgainstDomainMaximum()
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

void TestDomainStore::unlimitedMailboxOnlyWhenDomainAllows()
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

void TestDomainStore::domainQuotaCannotDropBelowAllocation()
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

// ---- Removal ------------------------------------------------------------------------------------

void TestDomainStore::removeDomainWithMailboxes()
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

void TestDomainStore::removeDomainCascades()
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

QTEST_GUILESS_MAIN(TestDomainStore)
#include "tst_domainstore.moc"
