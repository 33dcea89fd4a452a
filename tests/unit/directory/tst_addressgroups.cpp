#include "directory/aliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directory/recipientresolver.h"
#include "directorytestfixture.h"

#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

// The rules of issue 2 "Mail directory" for aliases and lists: no address shadows another, no
// group contains itself, and every domain keeps its postmaster@ and abuse@.
class TestAddressGroups : public QObject, private test::DirectoryStoreTest
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

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
};

void TestAddressGroups::init()
{
    const QString setUp = startFixture();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
}

void TestAddressGroups::cleanup()
{
    stopFixture();
}

// ---- Shadowing and self-reference ---------------------------------------------------------------

void TestAddressGroups::addressesDoNotShadow_data()
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

void TestAddressGroups::addressesDoNotShadow()
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

void TestAddressGroups::wildcardAliasBesideMailbox()
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

void TestAddressGroups::aliasToItselfRefused()
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

void TestAddressGroups::aliasNeedsDestination()
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

void TestAddressGroups::listMemberOfItselfRefused()
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

void TestAddressGroups::systemAliasesOnNewDomain()
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

void TestAddressGroups::systemAliasesNamedOnCreate()
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

void TestAddressGroups::systemAliasesFollowDomainUpdate()
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

void TestAddressGroups::systemAliasesCannotBeRemoved_data()
{
    QTest::addColumn<QString>("address");
    QTest::newRow("postmaster") << u"postmaster@example.org"_s;
    QTest::newRow("abuse") << u"abuse@example.org"_s;
    QTest::newRow("upper case") << u"POSTMASTER@EXAMPLE.ORG"_s;
}

void TestAddressGroups::systemAliasesCannotBeRemoved()
{
    QFETCH(QString, address);
    PROMAIL_VERIFY_OK(createDomain(u"example.org"_s));
    PROMAIL_VERIFY_ERROR(AliasStore(context()).remove(address), "forbidden", "",
                         "cannot be removed while its domain exists");
    PROMAIL_VERIFY_OK(AliasStore(context()).get(address));
    QCOMPARE(count(u"SELECT COUNT(*) FROM aliases WHERE is_system = 1"_s), 2);
}

void TestAddressGroups::systemAliasesCannotBeDeactivated()
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

void TestAddressGroups::removingPostmasterTargetConflicts()
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

QTEST_GUILESS_MAIN(TestAddressGroups)
#include "tst_addressgroups.moc"
