#include "directory/aliasstore.h"
#include "directory/domainaliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directory/recipientresolver.h"
#include "directorytestfixture.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace promail;

// One directory, built once, and a table of envelope recipients with the exact mailboxes
// ("address#tag") and external addresses each must reach (issue 2, "Recipient resolution").
class TestRecipientResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void resolve_data();
    void resolve();
    void depthLimitFollowsSetting();

private:
    bool addDomain(const QString& name, const QStringList& catchAll = {}, bool active = true);
    bool addDomainAlias(const QString& name, const QString& target, bool active = true);
    bool addMailbox(const QString& address, TaggedMail tagged = TaggedMail::Inbox, bool active = true);
    bool addAlias(const QString& address, const QStringList& destinations, bool active = true);
    bool addList(const QString& address, const QStringList& members, bool active = true);
    bool check(const char* what, const QString& name, const QString& error);

    test::DirectoryTestFixture m_fixture;
};

bool TestRecipientResolver::check(const char* what, const QString& name, const QString& error)
{
    if (error.isEmpty())
        return true;
    qWarning("cannot create %s %s: %s", what, qPrintable(name), qPrintable(error));
    return false;
}

bool TestRecipientResolver::addDomain(const QString& name, const QStringList& catchAll, bool active)
{
    DomainInput input;
    input.name = name;
    input.active = active;
    if (!catchAll.isEmpty())
        input.catchAll = catchAll;
    const auto created = DomainStore(m_fixture.context()).create(input);
    return check("domain", name, created ? QString() : created.error().message);
}

bool TestRecipientResolver::addDomainAlias(const QString& name, const QString& target, bool active)
{
    const auto created = DomainAliasStore(m_fixture.context()).create({name, target, active});
    return check("domain alias", name, created ? QString() : created.error().message);
}

bool TestRecipientResolver::addMailbox(const QString& address, TaggedMail tagged, bool active)
{
    MailboxInput input;
    input.address = address;
    input.password = u"correct horse battery"_s;
    input.taggedMail = tagged;
    input.active = active;
    const auto created = MailboxStore(m_fixture.context()).create(input);
    return check("mailbox", address, created ? QString() : created.error().message);
}

bool TestRecipientResolver::addAlias(const QString& address, const QStringList& destinations, bool active)
{
    const auto created = AliasStore(m_fixture.context()).create({address, destinations, active});
    return check("alias", address, created ? QString() : created.error().message);
}

bool TestRecipientResolver::addList(const QString& address, const QStringList& members, bool active)
{
    MailingListInput input;
    input.address = address;
    input.members = members;
    input.active = active;
    const auto created = ListStore(m_fixture.context()).create(input);
    return check("list", address, created ? QString() : created.error().message);
}

void TestRecipientResolver::initTestCase()
{
    const QString setUp = m_fixture.setUp();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
    // The depth rows below assume the declared default.
    QCOMPARE(m_fixture.settings().intValue(u"directory.alias_max_depth"_s), 10);

    // example.org: the main domain. No catch-all, no "*@" wildcard: unknown addresses bounce.
    QVERIFY(addDomain(u"example.org"_s));
    QVERIFY(addMailbox(u"alice@example.org"_s, TaggedMail::Inbox)); // first: gets postmaster@/abuse@
    QVERIFY(addMailbox(u"bob@example.org"_s, TaggedMail::Folder));
    QVERIFY(addMailbox(u"carol@example.org"_s, TaggedMail::Subject, false));
    QVERIFY(addMailbox(u"dave@example.org"_s, TaggedMail::Subject));
    QVERIFY(addAlias(u"info@example.org"_s, {u"alice@example.org"_s}));
    QVERIFY(addAlias(u"sales@example.org"_s, {u"bob@example.org"_s, u"Partner.Sales@Partner.Test"_s}));
    QVERIFY(addAlias(u"fwd@example.org"_s, {u"Someone@Partner.Test"_s}));
    QVERIFY(addAlias(u"idnafwd@example.org"_s, {u"user@münchen.test"_s}));
    QVERIFY(addAlias(u"via@example.org"_s, {u"bob@alias.org"_s}));
    QVERIFY(addAlias(u"tagfwd@example.org"_s, {u"alice+news@example.org"_s}));
    QVERIFY(addAlias(u"mixed@example.org"_s, {u"carol@example.org"_s, u"bob@example.org"_s}));
    QVERIFY(addAlias(u"ghost@example.org"_s, {u"nobody@example.org"_s}));
    QVERIFY(addAlias(u"old@example.org"_s, {u"alice@example.org"_s}, false));
    // alias → alias → alias → mailbox
    QVERIFY(addAlias(u"chain1@example.org"_s, {u"chain2@example.org"_s}));
    QVERIFY(addAlias(u"chain2@example.org"_s, {u"chain3@example.org"_s}));
    QVERIFY(addAlias(u"chain3@example.org"_s, {u"dave@example.org"_s}));
    // Loops: one that leads nowhere else, one with an exit.
    QVERIFY(addAlias(u"loopa@example.org"_s, {u"loopb@example.org"_s}));
    QVERIFY(addAlias(u"loopb@example.org"_s, {u"loopa@example.org"_s}));
    QVERIFY(addAlias(u"loopc@example.org"_s, {u"loopd@example.org"_s}));
    QVERIFY(addAlias(u"loopd@example.org"_s, {u"loopc@example.org"_s, u"bob@example.org"_s}));
    // deep0 → deep1 → … → deep10 → alice: from deepN, alice is 11 - N aliases away.
    for (int i = 0; i < 10; ++i)
        QVERIFY(addAlias(u"deep%1@example.org"_s.arg(i), {u"deep%1@example.org"_s.arg(i + 1)}));
    QVERIFY(addAlias(u"deep10@example.org"_s, {u"alice@example.org"_s}));
    // Lists: team holds a nested list, staff points back at team (a list loop).
    QVERIFY(addList(u"team@example.org"_s, {u"alice@example.org"_s, u"ext1@partner.test"_s, u"staff@example.org"_s}));
    QVERIFY(addList(u"staff@example.org"_s,
                    {u"bob@example.org"_s, u"dave@example.org"_s, u"alice@example.org"_s, u"team@example.org"_s}));
    QVERIFY(addList(u"closed@example.org"_s, {u"bob@example.org"_s}, false));
    // alice three ways (directly, through info@, through team@ and staff@), ext1 twice.
    QVERIFY(addAlias(u"multi@example.org"_s,
                     {u"alice@example.org"_s, u"info@example.org"_s, u"team@example.org"_s, u"ext1@partner.test"_s}));
    // Wildcards: the one with more literal characters wins.
    QVERIFY(addAlias(u"sales-*@example.org"_s, {u"bob@example.org"_s}));
    QVERIFY(addAlias(u"*-team@example.org"_s, {u"dave@example.org"_s}));
    QVERIFY(addAlias(u"*-old@example.org"_s, {u"alice@example.org"_s}, false));

    // example.net: catch-all to a mailbox and an external address, one wildcard.
    QVERIFY(addDomain(u"example.net"_s, {u"inbox@example.net"_s, u"archive@partner.test"_s}));
    QVERIFY(addMailbox(u"inbox@example.net"_s, TaggedMail::Folder));
    QVERIFY(addMailbox(u"frozen@example.net"_s, TaggedMail::Inbox, false));
    QVERIFY(addAlias(u"news-*@example.net"_s, {u"alice@example.org"_s}));

    // example.com: "*@" plus a more specific wildcard.
    QVERIFY(addDomain(u"example.com"_s));
    QVERIFY(addMailbox(u"zed@example.com"_s));
    QVERIFY(addAlias(u"*@example.com"_s, {u"alice@example.org"_s}));
    QVERIFY(addAlias(u"vip-*@example.com"_s, {u"bob@example.org"_s}));

    // An inactive domain, an IDNA domain, a domain with nothing in it.
    QVERIFY(addDomain(u"inactive.org"_s, {}, false));
    QVERIFY(addMailbox(u"user@inactive.org"_s));
    QVERIFY(addDomain(u"bücher.example"_s));
    QVERIFY(addMailbox(u"info@bücher.example"_s));
    QVERIFY(addDomain(u"empty.org"_s));

    // Domain aliases.
    QVERIFY(addDomainAlias(u"alias.org"_s, u"example.org"_s));
    QVERIFY(addDomainAlias(u"old.org"_s, u"example.org"_s, false));
    QVERIFY(addDomainAlias(u"alias.net"_s, u"example.net"_s));
}

void TestRecipientResolver::resolve_data()
{
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QStringList>("mailboxes"); // sorted "address#tag"
    QTest::addColumn<QStringList>("external");  // sorted

    const QStringList none;
    const QString alice = u"alice@example.org#"_s;
    const QString bob = u"bob@example.org#"_s;
    const QString dave = u"dave@example.org#"_s;
    const QStringList teamBoxes{alice, bob, dave};
    const QStringList teamExternal{u"ext1@partner.test"_s};
    const QStringList catchAllBoxes{u"inbox@example.net#"_s};
    const QStringList catchAllExternal{u"archive@partner.test"_s};

    // Exact mailboxes.
    QTest::newRow("mailbox") << u"alice@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("mailbox, tagged_mail folder") << u"bob@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("mailbox, upper case") << u"ALICE@EXAMPLE.ORG"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("mailbox, surrounding spaces") << u"  dave@example.org "_s << u"ok"_s << QStringList{dave} << none;
    QTest::newRow("inactive mailbox, no catch-all") << u"carol@example.org"_s << u"inactive"_s << none << none;
    QTest::newRow("unknown, no catch-all") << u"nobody@example.org"_s << u"unknown"_s << none << none;

    // Sub-addresses (RFC 5233): the tag goes with the mailbox.
    QTest::newRow("sub-address") << u"alice+tag@example.org"_s << u"ok"_s << QStringList{u"alice@example.org#tag"_s}
                                 << none;
    QTest::newRow("sub-address, folder mailbox")
        << u"bob+work@example.org"_s << u"ok"_s << QStringList{u"bob@example.org#work"_s} << none;
    QTest::newRow("sub-address, second plus is in the tag")
        << u"alice+a+b@example.org"_s << u"ok"_s << QStringList{u"alice@example.org#a+b"_s} << none;
    QTest::newRow("sub-address, empty tag") << u"alice+@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("sub-address of inactive mailbox") << u"carol+x@example.org"_s << u"inactive"_s << none << none;
    QTest::newRow("sub-address of alias")
        << u"sales+x@example.org"_s << u"ok"_s << QStringList{bob} << QStringList{u"Partner.Sales@partner.test"_s};
    QTest::newRow("sub-address of list") << u"team+x@example.org"_s << u"ok"_s << teamBoxes << teamExternal;
    QTest::newRow("sub-address of unknown") << u"nobody+x@example.org"_s << u"unknown"_s << none << none;

    // Exact aliases, chains, loops, depth.
    QTest::newRow("alias") << u"info@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("alias, local and external")
        << u"sales@example.org"_s << u"ok"_s << QStringList{bob} << QStringList{u"Partner.Sales@partner.test"_s};
    QTest::newRow("alias, external only (local part case kept)")
        << u"fwd@example.org"_s << u"ok"_s << none << QStringList{u"Someone@partner.test"_s};
    QTest::newRow("alias, external IDNA destination")
        << u"idnafwd@example.org"_s << u"ok"_s << none << QStringList{u"user@xn--mnchen-3ya.test"_s};
    QTest::newRow("alias to address in a domain alias") << u"via@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("alias to a sub-address")
        << u"tagfwd@example.org"_s << u"ok"_s << QStringList{u"alice@example.org#news"_s} << none;
    QTest::newRow("alias to inactive and active mailbox")
        << u"mixed@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("alias to nonexistent address") << u"ghost@example.org"_s << u"unknown"_s << none << none;
    // RecipientResolver.h: Inactive = "the address exists but is switched off".
    QTest::newRow("inactive alias") << u"old@example.org"_s << u"inactive"_s << none << none;
    QTest::newRow("alias chain") << u"chain1@example.org"_s << u"ok"_s << QStringList{dave} << none;
    QTest::newRow("alias chain, middle") << u"chain2@example.org"_s << u"ok"_s << QStringList{dave} << none;
    QTest::newRow("alias loop a->b->a") << u"loopa@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("alias loop b->a->b") << u"loopb@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("alias loop with exit") << u"loopc@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("chain of 10 aliases (= alias_max_depth)")
        << u"deep1@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("chain of 11 aliases (> alias_max_depth)") << u"deep0@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("chain of 1 alias") << u"deep10@example.org"_s << u"ok"_s << QStringList{alice} << none;

    // Lists.
    QTest::newRow("list with nested list and external member")
        << u"team@example.org"_s << u"ok"_s << teamBoxes << teamExternal;
    QTest::newRow("nested list pointing back") << u"staff@example.org"_s << u"ok"_s << teamBoxes << teamExternal;
    QTest::newRow("list, upper case") << u"TEAM@Example.Org"_s << u"ok"_s << teamBoxes << teamExternal;
    QTest::newRow("inactive list") << u"closed@example.org"_s << u"inactive"_s << none << none;
    QTest::newRow("same mailbox and external by several routes")
        << u"multi@example.org"_s << u"ok"_s << teamBoxes << teamExternal;

    // Wildcards: most literal characters wins; exact and sub-address come first.
    QTest::newRow("wildcard prefix") << u"sales-eu@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("wildcard, * matches nothing") << u"sales-@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("wildcard suffix") << u"dev-team@example.org"_s << u"ok"_s << QStringList{dave} << none;
    QTest::newRow("wildcard, sales-* beats *-team")
        << u"sales-team@example.org"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("wildcard, no separator no match") << u"salesteam@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("inactive wildcard") << u"x-old@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("*@ wildcard") << u"anything@example.com"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("vip-* beats *@") << u"vip-anna@example.com"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("vip-* with empty *") << u"vip-@example.com"_s << u"ok"_s << QStringList{bob} << none;
    QTest::newRow("vip without dash takes *@") << u"vipanna@example.com"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("mailbox beats *@") << u"zed@example.com"_s << u"ok"_s << QStringList{u"zed@example.com#"_s} << none;
    QTest::newRow("sub-address beats *@")
        << u"zed+x@example.com"_s << u"ok"_s << QStringList{u"zed@example.com#x"_s} << none;
    QTest::newRow("postmaster beats *@") << u"postmaster@example.com"_s << u"ok"_s << QStringList{u"zed@example.com#"_s}
                                         << none;

    // Catch-all.
    QTest::newRow("catch-all") << u"unknown@example.net"_s << u"ok"_s << catchAllBoxes << catchAllExternal;
    QTest::newRow("catch-all, inactive mailbox")
        << u"frozen@example.net"_s << u"ok"_s << catchAllBoxes << catchAllExternal;
    QTest::newRow("catch-all, unknown sub-address")
        << u"nobody+x@example.net"_s << u"ok"_s << catchAllBoxes << catchAllExternal;
    QTest::newRow("catch-all domain, mailbox") << u"inbox@example.net"_s << u"ok"_s << catchAllBoxes << none;
    QTest::newRow("catch-all domain, sub-address")
        << u"inbox+x@example.net"_s << u"ok"_s << QStringList{u"inbox@example.net#x"_s} << none;
    QTest::newRow("wildcard beats catch-all") << u"news-daily@example.net"_s << u"ok"_s << QStringList{alice} << none;

    // postmaster@ and abuse@ go to the first mailbox of the domain.
    QTest::newRow("postmaster") << u"postmaster@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("abuse") << u"abuse@example.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("postmaster, upper case") << u"POSTMASTER@EXAMPLE.ORG"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("postmaster, catch-all domain") << u"postmaster@example.net"_s << u"ok"_s << catchAllBoxes << none;
    QTest::newRow("postmaster of a domain without mailboxes")
        << u"postmaster@empty.org"_s << u"unknown"_s << none << none;
    QTest::newRow("unknown in an empty domain") << u"random@empty.org"_s << u"unknown"_s << none << none;

    // Domains: aliases, inactive, IDNA, not ours.
    QTest::newRow("domain alias") << u"alice@alias.org"_s << u"ok"_s << QStringList{alice} << none;
    QTest::newRow("domain alias, sub-address")
        << u"alice+x@alias.org"_s << u"ok"_s << QStringList{u"alice@example.org#x"_s} << none;
    QTest::newRow("domain alias, list") << u"team@alias.org"_s << u"ok"_s << teamBoxes << teamExternal;
    QTest::newRow("domain alias, unknown") << u"nobody@alias.org"_s << u"unknown"_s << none << none;
    QTest::newRow("domain alias, catch-all of target")
        << u"whatever@alias.net"_s << u"ok"_s << catchAllBoxes << catchAllExternal;
    QTest::newRow("inactive domain alias") << u"alice@old.org"_s << u"inactive"_s << none << none;
    QTest::newRow("inactive domain") << u"user@inactive.org"_s << u"inactive"_s << none << none;
    QTest::newRow("inactive domain, unknown user") << u"nobody@inactive.org"_s << u"inactive"_s << none << none;
    QTest::newRow("IDNA domain, U-label")
        << u"info@bücher.example"_s << u"ok"_s << QStringList{u"info@xn--bcher-kva.example#"_s} << none;
    QTest::newRow("IDNA domain, A-label")
        << u"info@xn--bcher-kva.example"_s << u"ok"_s << QStringList{u"info@xn--bcher-kva.example#"_s} << none;
    QTest::newRow("IDNA domain, upper case")
        << u"INFO@BÜCHER.EXAMPLE"_s << u"ok"_s << QStringList{u"info@xn--bcher-kva.example#"_s} << none;
    QTest::newRow("not local") << u"alice@elsewhere.test"_s << u"not_local"_s << none << none;
    QTest::newRow("subdomain is not local") << u"alice@sub.example.org"_s << u"not_local"_s << none << none;

    // Garbage.
    QTest::newRow("empty") << QString() << u"unknown"_s << none << none;
    QTest::newRow("no @") << u"alice"_s << u"unknown"_s << none << none;
    QTest::newRow("empty local part") << u"@example.org"_s << u"unknown"_s << none << none;
    QTest::newRow("empty domain") << u"alice@"_s << u"unknown"_s << none << none;
    QTest::newRow("angle brackets") << u"<alice@example.org>"_s << u"unknown"_s << none << none;
    QTest::newRow("space in domain") << u"alice@exa mple.org"_s << u"unknown"_s << none << none;
    QTest::newRow("trailing @") << u"alice@example.org@"_s << u"unknown"_s << none << none;
}

void TestRecipientResolver::resolve()
{
    QFETCH(QString, recipient);
    QFETCH(QString, status);
    QFETCH(QStringList, mailboxes);
    QFETCH(QStringList, external);

    const auto resolution = RecipientResolver(m_fixture.context()).resolve(recipient);
    PROMAIL_VERIFY_OK(resolution);
    QStringList gotMailboxes;
    for (const LocalRecipient& mailbox : resolution->mailboxes)
    {
        QVERIFY(mailbox.mailboxId > 0);
        gotMailboxes.append(mailbox.address + u'#' + mailbox.tag);
    }
    // Each mailbox once, however many routes reach it.
    QCOMPARE(QSet<QString>(gotMailboxes.begin(), gotMailboxes.end()).size(), gotMailboxes.size());
    gotMailboxes.sort();
    QStringList gotExternal = resolution->external;
    gotExternal.sort();
    if (resolutionStatusName(resolution->status) != status || gotMailboxes != mailboxes || gotExternal != external)
        qWarning("resolver's reason: %s", qPrintable(resolution->reason));
    QCOMPARE(resolutionStatusName(resolution->status), status);
    QCOMPARE(gotMailboxes, mailboxes);
    QCOMPARE(gotExternal, external);
}

void TestRecipientResolver::depthLimitFollowsSetting()
{
    SettingsStore& settings = m_fixture.settings();
    PROMAIL_VERIFY_OK(settings.set(u"directory.alias_max_depth"_s, QJsonValue(3)));
    const RecipientResolver resolver(m_fixture.context());

    // deep8 → deep9 → deep10 → alice: three aliases.
    const auto three = resolver.resolve(u"deep8@example.org"_s);
    // deep7 → … → alice: four aliases.
    const auto four = resolver.resolve(u"deep7@example.org"_s);
    PROMAIL_VERIFY_OK(settings.set(u"directory.alias_max_depth"_s, QJsonValue(10)));

    PROMAIL_VERIFY_OK(three);
    QCOMPARE(resolutionStatusName(three->status), u"ok"_s);
    QCOMPARE(three->mailboxes.size(), 1);
    QCOMPARE(three->mailboxes.first().address, u"alice@example.org"_s);
    PROMAIL_VERIFY_OK(four);
    QCOMPARE(resolutionStatusName(four->status), u"unknown"_s);
    QVERIFY(four->mailboxes.isEmpty());
    QVERIFY2(four->reason.contains(u"more than 3 aliases deep"_s), qPrintable(four->reason));
}

QTEST_GUILESS_MAIN(TestRecipientResolver)
#include "tst_recipientresolver.moc"
