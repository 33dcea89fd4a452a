#include "../directory/directorytestfixture.h"
#include "directory/aliasstore.h"
#include "directory/domainaliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "policy/senderpolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

// One directory, built once with the stores, and a table of (authenticated sender, MAIL FROM or
// From address) pairs with the decision issue 3 "Routing and anti-spoof" asks for.
class TestSenderPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mayUse_data();
    void mayUse();
    void masqueradeFlagIsStored();

private:
    bool check(const char* what, const QString& name, const QString& error);
    bool addDomain(const QString& name, const QStringList& catchAll = {});
    bool addDomainAlias(const QString& name, const QString& target, bool active = true);
    bool addMailbox(const QString& address, bool allowMasquerade = false);
    bool addAlias(const QString& address, const QStringList& destinations, bool active = true);
    bool addList(const QString& address, const QStringList& members);

    test::DirectoryTestFixture m_fixture;
};

bool TestSenderPolicy::check(const char* what, const QString& name, const QString& error)
{
    if (error.isEmpty())
        return true;
    qWarning("cannot create %s %s: %s", what, qPrintable(name), qPrintable(error));
    return false;
}

bool TestSenderPolicy::addDomain(const QString& name, const QStringList& catchAll)
{
    DomainInput input;
    input.name = name;
    if (!catchAll.isEmpty())
        input.catchAll = catchAll;
    const auto created = DomainStore(m_fixture.context()).create(input);
    return check("domain", name, created ? QString() : created.error().message);
}

bool TestSenderPolicy::addDomainAlias(const QString& name, const QString& target, bool active)
{
    const auto created = DomainAliasStore(m_fixture.context()).create({name, target, active});
    return check("domain alias", name, created ? QString() : created.error().message);
}

bool TestSenderPolicy::addMailbox(const QString& address, bool allowMasquerade)
{
    MailboxInput input;
    input.address = address;
    input.password = u"correct horse battery"_s;
    if (allowMasquerade)
        input.allowMasquerade = true;
    const auto created = MailboxStore(m_fixture.context()).create(input);
    return check("mailbox", address, created ? QString() : created.error().message);
}

bool TestSenderPolicy::addAlias(const QString& address, const QStringList& destinations, bool active)
{
    const auto created = AliasStore(m_fixture.context()).create({address, destinations, active});
    return check("alias", address, created ? QString() : created.error().message);
}

bool TestSenderPolicy::addList(const QString& address, const QStringList& members)
{
    MailingListInput input;
    input.address = address;
    input.members = members;
    const auto created = ListStore(m_fixture.context()).create(input);
    return check("list", address, created ? QString() : created.error().message);
}

void TestSenderPolicy::initTestCase()
{
    const QString error = m_fixture.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QVERIFY(addDomain(u"example.org"_s));
    QVERIFY(addDomain(u"example.com"_s, {u"alice@example.org"_s})); // its catch-all reaches alice
    QVERIFY(addDomainAlias(u"example.net"_s, u"example.org"_s));
    QVERIFY(addDomainAlias(u"example.edu"_s, u"example.org"_s, false));

    // alice is the first mailbox of example.org, so postmaster@ and abuse@ deliver to her.
    QVERIFY(addMailbox(u"alice@example.org"_s));
    QVERIFY(addMailbox(u"bob@example.org"_s));
    QVERIFY(addMailbox(u"carol@example.com"_s));
    QVERIFY(addMailbox(u"mallory@example.org"_s, true));

    QVERIFY(addAlias(u"sales@example.org"_s, {u"alice@example.org"_s}));
    QVERIFY(addAlias(u"info@example.org"_s, {u"sales@example.org"_s}));
    QVERIFY(addAlias(u"news@example.org"_s, {u"alice+news@example.org"_s}));
    QVERIFY(addAlias(u"support@example.org"_s, {u"bob@example.org"_s}));
    QVERIFY(addAlias(u"shared@example.com"_s, {u"alice@example.org"_s, u"carol@example.com"_s}));
    QVERIFY(addAlias(u"dev-*@example.org"_s, {u"alice@example.org"_s}));
    QVERIFY(addAlias(u"old@example.org"_s, {u"alice@example.org"_s}, false));
    // Inactive, in a domain whose catch-all reaches alice: mail to it goes to the catch-all.
    QVERIFY(addAlias(u"retired@example.com"_s, {u"carol@example.com"_s}, false));
    QVERIFY(addAlias(u"ext@example.org"_s, {u"someone@elsewhere.test"_s}));
    QVERIFY(addList(u"staff@example.org"_s, {u"alice@example.org"_s, u"bob@example.org"_s}));
    QVERIFY(addAlias(u"crew@example.org"_s, {u"staff@example.org"_s}));
}

void TestSenderPolicy::mayUse_data()
{
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("allowed");

    const QString alice = u"alice@example.org"_s;
    const QString bob = u"bob@example.org"_s;
    const QString carol = u"carol@example.com"_s;
    const QString mallory = u"mallory@example.org"_s;

    // Their own address, however it is written.
    QTest::newRow("own address") << alice << u"alice@example.org"_s << true;
    QTest::newRow("own address, upper case") << alice << u"ALICE@Example.ORG"_s << true;
    QTest::newRow("own address, surrounding space") << alice << u" alice@example.org "_s << true;
    QTest::newRow("sub-address") << alice << u"alice+lists@example.org"_s << true;
    QTest::newRow("sub-address, mixed case") << alice << u"Alice+Tag@EXAMPLE.org"_s << true;
    QTest::newRow("longer local part is not a sub-address") << alice << u"alicex@example.org"_s << false;
    QTest::newRow("another mailbox") << alice << u"bob@example.org"_s << false;
    QTest::newRow("another mailbox's sub-address") << alice << u"bob+alice@example.org"_s << false;
    QTest::newRow("own local part, other local domain") << alice << u"alice@example.com"_s << false;
    QTest::newRow("own local part, foreign domain") << alice << u"alice@elsewhere.test"_s << false;

    // Domain aliases of their domain count as their domain (while active).
    QTest::newRow("domain alias") << alice << u"alice@example.net"_s << true;
    QTest::newRow("domain alias, sub-address") << alice << u"alice+x@EXAMPLE.NET"_s << true;
    QTest::newRow("inactive domain alias") << alice << u"alice@example.edu"_s << false;

    // Exact aliases that deliver to them.
    QTest::newRow("exact alias to self") << alice << u"sales@example.org"_s << true;
    QTest::newRow("exact alias, upper case") << alice << u"SALES@example.org"_s << true;
    QTest::newRow("exact alias, sub-address") << alice << u"sales+q3@example.org"_s << true;
    QTest::newRow("exact alias, domain alias") << alice << u"sales@example.net"_s << true;
    QTest::newRow("alias to self via another alias") << alice << u"info@example.org"_s << true;
    QTest::newRow("alias to own sub-address") << alice << u"news@example.org"_s << true;
    QTest::newRow("alias to self and another, first") << alice << u"shared@example.com"_s << true;
    QTest::newRow("alias to self and another, second") << carol << u"shared@example.com"_s << true;
    QTest::newRow("alias to self and another, outsider") << bob << u"shared@example.com"_s << false;
    QTest::newRow("system alias (postmaster) to self") << alice << u"postmaster@example.org"_s << true;
    QTest::newRow("system alias (postmaster) to someone else") << bob << u"postmaster@example.org"_s << false;
    QTest::newRow("alias to someone else") << alice << u"support@example.org"_s << false;
    QTest::newRow("alias to someone else, taken by them") << bob << u"support@example.org"_s << true;
    QTest::newRow("alias to an external address") << alice << u"ext@example.org"_s << false;
    QTest::newRow("inactive alias to self") << alice << u"old@example.org"_s << false;
    QTest::newRow("inactive alias, catch-all to self") << alice << u"retired@example.com"_s << false;
    // The alias is exact; that it delivers through a list does not make the list an identity.
    QTest::newRow("alias to a list containing the sender") << alice << u"crew@example.org"_s << true;

    // Never a wildcard alias, a catch-all or a list.
    QTest::newRow("wildcard alias matching, to self") << alice << u"dev-tools@example.org"_s << false;
    QTest::newRow("wildcard alias named literally") << alice << u"dev-*@example.org"_s << false;
    QTest::newRow("catch-all to self") << alice << u"random@example.com"_s << false;
    QTest::newRow("list containing the sender") << alice << u"staff@example.org"_s << false;

    // Masquerading: any well-formed address.
    QTest::newRow("masquerade, local address") << mallory << u"ceo@example.org"_s << true;
    QTest::newRow("masquerade, foreign address") << mallory << u"president@elsewhere.test"_s << true;
    QTest::newRow("masquerade, null sender") << mallory << u""_s << false;
    QTest::newRow("masquerade, garbage") << mallory << u"ceo"_s << false;

    // The null sender is for bounces, and garbage is garbage.
    QTest::newRow("null sender") << alice << u""_s << false;
    QTest::newRow("angle brackets") << alice << u"<alice@example.org>"_s << false;
    QTest::newRow("no domain") << alice << u"alice@"_s << false;
    QTest::newRow("no local part") << alice << u"@example.org"_s << false;
    QTest::newRow("no at sign") << alice << u"alice"_s << false;
    QTest::newRow("space inside") << alice << u"alice smith@example.org"_s << false;
    QTest::newRow("bad domain") << alice << u"alice@example..org"_s << false;
}

void TestSenderPolicy::mayUse()
{
    QFETCH(QString, sender);
    QFETCH(QString, address);
    QFETCH(bool, allowed);
    const auto mailbox = MailboxStore(m_fixture.context()).get(sender);
    PROMAIL_VERIFY_OK(mailbox);
    const auto decision = SenderPolicy(m_fixture.context()).mayUse(*mailbox, address);
    PROMAIL_VERIFY_OK(decision);
    QCOMPARE(*decision, allowed);
}

void TestSenderPolicy::masqueradeFlagIsStored()
{
    const MailboxStore store(m_fixture.context());
    QCOMPARE(store.get(u"mallory@example.org"_s)->allowMasquerade, true);
    QCOMPARE(store.get(u"alice@example.org"_s)->allowMasquerade, false);

    MailboxInput change;
    change.address = u"bob@example.org"_s;
    change.allowMasquerade = true;
    const auto updated = store.update(change);
    PROMAIL_VERIFY_OK(updated);
    QCOMPARE(updated->allowMasquerade, true);
    QCOMPARE(SenderPolicy(m_fixture.context()).mayUse(*updated, u"ceo@example.org"_s).value(), true);

    // An update that does not name the flag leaves it alone.
    MailboxInput rename;
    rename.address = u"bob@example.org"_s;
    rename.displayName = u"Bob"_s;
    QCOMPARE(store.update(rename)->allowMasquerade, true);

    change.allowMasquerade = false;
    QCOMPARE(store.update(change)->allowMasquerade, false);
    QCOMPARE(store.get(u"bob@example.org"_s)->allowMasquerade, false);
    QCOMPARE(SenderPolicy(m_fixture.context()).mayUse(*store.get(u"bob@example.org"_s), u"ceo@example.org"_s).value(),
             false);
}

QTEST_GUILESS_MAIN(TestSenderPolicy)
#include "tst_senderpolicy.moc"
