#include "../directory/directorytestfixture.h"
#include "policy/forwardinghosts.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

// Forwarding hosts over a real migrated database: what an admin types, what is stored, and which
// clients the anti-spoof check lets through.
class TestForwardingHosts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void add_data();
    void add();
    void addRefuses_data();
    void addRefuses();
    void duplicatesConflict_data();
    void duplicatesConflict();
    void contains_data();
    void contains();
    void remove();
    void removeRefuses_data();
    void removeRefuses();
    void listKeepsDescriptionAndOrder();
    void persistsAcrossInstances();

private:
    std::unique_ptr<test::DirectoryTestFixture> m_fixture;
    std::unique_ptr<ForwardingHosts> m_hosts;
};

void TestForwardingHosts::init()
{
    m_hosts.reset();
    m_fixture = std::make_unique<test::DirectoryTestFixture>();
    const QString error = m_fixture->setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_hosts = std::make_unique<ForwardingHosts>(m_fixture->database());
    PROMAIL_VERIFY_OK(m_hosts->load());
}

void TestForwardingHosts::add_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("stored");

    QTest::newRow("IPv4 host") << u"198.51.100.7"_s << u"198.51.100.7/32"_s;
    QTest::newRow("IPv4 network") << u"192.0.2.0/24"_s << u"192.0.2.0/24"_s;
    QTest::newRow("IPv4 host bits zeroed") << u"192.0.2.77/24"_s << u"192.0.2.0/24"_s;
    QTest::newRow("IPv4 /32") << u"192.0.2.1/32"_s << u"192.0.2.1/32"_s;
    QTest::newRow("IPv4 /1") << u"200.1.2.3/1"_s << u"128.0.0.0/1"_s;
    QTest::newRow("IPv4 odd prefix") << u"10.1.2.3/13"_s << u"10.0.0.0/13"_s;
    QTest::newRow("surrounding space") << u"  192.0.2.5 "_s << u"192.0.2.5/32"_s;
    QTest::newRow("IPv6 host") << u"2001:db8::1"_s << u"2001:db8::1/128"_s;
    QTest::newRow("IPv6 upper case, long form") << u"2001:0DB8:0:0:0:0:0:1"_s << u"2001:db8::1/128"_s;
    QTest::newRow("IPv6 network") << u"2001:db8::/32"_s << u"2001:db8::/32"_s;
    QTest::newRow("IPv6 host bits zeroed") << u"2001:db8:abcd:12::1/48"_s << u"2001:db8:abcd::/48"_s;
    QTest::newRow("IPv6 odd prefix") << u"2001:db8:ffff::/33"_s << u"2001:db8:8000::/33"_s;
    QTest::newRow("IPv4-mapped host") << u"::ffff:192.0.2.9"_s << u"192.0.2.9/32"_s;
    QTest::newRow("IPv4-mapped network") << u"::ffff:192.0.2.0/120"_s << u"192.0.2.0/24"_s;
}

void TestForwardingHosts::add()
{
    QFETCH(QString, input);
    QFETCH(QString, stored);
    const auto added = m_hosts->add(input, u"backup MX"_s);
    PROMAIL_VERIFY_OK(added);
    QCOMPARE(added->network, stored);
    QCOMPARE(added->description, u"backup MX"_s);
    QVERIFY(added->createdAt.isValid());
    const auto listed = m_hosts->list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->at(0).network, stored);
}

void TestForwardingHosts::addRefuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    const QString desc;
    QTest::newRow("empty") << u""_s << desc << u"network"_s
                           << u"give an IP address or a CIDR network, e.g. 192.0.2.0/24 or 2001:db8::/32"_s;
    QTest::newRow("blank") << u"   "_s << desc << u"network"_s
                           << u"give an IP address or a CIDR network, e.g. 192.0.2.0/24 or 2001:db8::/32"_s;
    QTest::newRow("host name") << u"mx.example.org"_s << desc << u"network"_s
                               << u"'mx.example.org' is not an IP address or a CIDR network "
                                  "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("short IPv4")
        << u"10"_s << desc << u"network"_s
        << u"'10' is not an IP address or a CIDR network (e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("abbreviated IPv4") << u"192.0.2/24"_s << desc << u"network"_s
                                      << u"'192.0.2/24' is not an IP address or a CIDR network "
                                         "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("octet over 255") << u"192.0.2.256"_s << desc << u"network"_s
                                    << u"'192.0.2.256' is not an IP address or a CIDR network "
                                       "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("leading zero") << u"192.0.2.010"_s << desc << u"network"_s
                                  << u"'192.0.2.010' is not an IP address or a CIDR network "
                                     "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("no address before slash") << u"/24"_s << desc << u"network"_s
                                             << u"'/24' is not an IP address or a CIDR network "
                                                "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("IPv6 zone") << u"fe80::1%eth0"_s << desc << u"network"_s
                               << u"'fe80::1%eth0' is not an IP address or a CIDR network "
                                  "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("bad IPv6") << u"2001:db8:::1"_s << desc << u"network"_s
                              << u"'2001:db8:::1' is not an IP address or a CIDR network "
                                 "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
    QTest::newRow("IPv4 prefix 33") << u"192.0.2.0/33"_s << desc << u"network"_s
                                    << u"'192.0.2.0/33': the prefix length must be a number from 1 to 32"_s;
    QTest::newRow("IPv6 prefix 129") << u"2001:db8::/129"_s << desc << u"network"_s
                                     << u"'2001:db8::/129': the prefix length must be a number from 1 to 128"_s;
    QTest::newRow("empty prefix") << u"192.0.2.0/"_s << desc << u"network"_s
                                  << u"'192.0.2.0/': the prefix length must be a number from 1 to 32"_s;
    QTest::newRow("negative prefix") << u"192.0.2.0/-1"_s << desc << u"network"_s
                                     << u"'192.0.2.0/-1': the prefix length must be a number from 1 to 32"_s;
    QTest::newRow("netmask form") << u"192.0.2.0/255.255.255.0"_s << desc << u"network"_s
                                  << u"'192.0.2.0/255.255.255.0': the prefix length must be a number from 1 to 32"_s;
    QTest::newRow("space in prefix") << u"192.0.2.0/ 24"_s << desc << u"network"_s
                                     << u"'192.0.2.0/ 24': the prefix length must be a number from 1 to 32"_s;
    QTest::newRow("IPv4 everything") << u"0.0.0.0/0"_s << desc << u"network"_s
                                     << u"'0.0.0.0/0' covers every address: any host could then send as the local "
                                        "domains"_s;
    QTest::newRow("IPv6 everything") << u"::/0"_s << desc << u"network"_s
                                     << u"'::/0' covers every address: any host could then send as the local "
                                        "domains"_s;
    QTest::newRow("description too long") << u"192.0.2.1"_s << QString(257, u'x') << u"description"_s
                                          << u"the description is longer than 256 characters"_s;
}

void TestForwardingHosts::addRefuses()
{
    QFETCH(QString, input);
    QFETCH(QString, description);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const auto added = m_hosts->add(input, description);
    QVERIFY(!added.ok());
    QCOMPARE(errorCodeName(added.error().code), u"invalid"_s);
    QCOMPARE(added.error().field, field);
    QCOMPARE(added.error().message, message);
    const auto listed = m_hosts->list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 0);
}

void TestForwardingHosts::duplicatesConflict_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QString>("message");

    QTest::newRow("same text") << u"192.0.2.0/24"_s << u"192.0.2.0/24"_s
                               << u"192.0.2.0/24 is already a forwarding host"_s;
    QTest::newRow("same network, host bits set")
        << u"192.0.2.0/24"_s << u"192.0.2.99/24"_s << u"192.0.2.0/24 is already a forwarding host"_s;
    QTest::newRow("plain IP and /32") << u"198.51.100.7"_s << u"198.51.100.7/32"_s
                                      << u"198.51.100.7/32 is already a forwarding host"_s;
    QTest::newRow("IPv6 spellings") << u"2001:db8::1"_s << u"2001:DB8:0::1/128"_s
                                    << u"2001:db8::1/128 is already a forwarding host"_s;
    QTest::newRow("mapped and plain") << u"::ffff:192.0.2.9"_s << u"192.0.2.9"_s
                                      << u"192.0.2.9/32 is already a forwarding host"_s;
}

void TestForwardingHosts::duplicatesConflict()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(QString, message);
    PROMAIL_VERIFY_OK(m_hosts->add(first, {}));
    const auto again = m_hosts->add(second, u"again"_s);
    QVERIFY(!again.ok());
    QCOMPARE(errorCodeName(again.error().code), u"conflict"_s);
    QCOMPARE(again.error().field, u"network"_s);
    QCOMPARE(again.error().message, message);
    const auto listed = m_hosts->list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 1);
}

void TestForwardingHosts::contains_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<bool>("expected");

    // Listed: 192.0.2.0/24, 198.51.100.7 (/32), 2001:db8:1::/48, 2001:db8:2::5 (/128).
    QTest::newRow("IPv4 in network, first") << u"192.0.2.0"_s << true;
    QTest::newRow("IPv4 in network, last") << u"192.0.2.255"_s << true;
    QTest::newRow("IPv4 next network") << u"192.0.3.0"_s << false;
    QTest::newRow("IPv4 host") << u"198.51.100.7"_s << true;
    QTest::newRow("IPv4 host's neighbour") << u"198.51.100.8"_s << false;
    QTest::newRow("IPv4-mapped in network") << u"::ffff:192.0.2.44"_s << true;
    QTest::newRow("IPv4-mapped host") << u"::ffff:198.51.100.7"_s << true;
    QTest::newRow("IPv4-mapped outside") << u"::ffff:203.0.113.1"_s << false;
    QTest::newRow("IPv6 in network") << u"2001:db8:1:ffff::1"_s << true;
    QTest::newRow("IPv6 next network") << u"2001:db8:2::1"_s << false;
    QTest::newRow("IPv6 host") << u"2001:db8:2::5"_s << true;
    QTest::newRow("IPv6 host with zone") << u"2001:db8:2::5%1"_s << true;
    QTest::newRow("IPv4-compatible is not mapped") << u"::192.0.2.44"_s << false;
    QTest::newRow("loopback") << u"127.0.0.1"_s << false;
    QTest::newRow("null") << QString() << false;
}

void TestForwardingHosts::contains()
{
    QFETCH(QString, client);
    QFETCH(bool, expected);
    for (const QString& network : {u"192.0.2.0/24"_s, u"198.51.100.7"_s, u"2001:db8:1::/48"_s, u"2001:db8:2::5"_s})
        PROMAIL_VERIFY_OK(m_hosts->add(network, {}));
    QCOMPARE(m_hosts->contains(QHostAddress(client)), expected);
}

void TestForwardingHosts::remove()
{
    PROMAIL_VERIFY_OK(m_hosts->add(u"192.0.2.0/24"_s, {}));
    PROMAIL_VERIFY_OK(m_hosts->add(u"198.51.100.7"_s, {}));
    QVERIFY(m_hosts->contains(QHostAddress(u"192.0.2.1"_s)));
    // Removed by any spelling of the same network.
    PROMAIL_VERIFY_OK(m_hosts->remove(u"192.0.2.200/24"_s));
    QVERIFY(!m_hosts->contains(QHostAddress(u"192.0.2.1"_s)));
    QVERIFY(m_hosts->contains(QHostAddress(u"198.51.100.7"_s)));
    PROMAIL_VERIFY_OK(m_hosts->remove(u"198.51.100.7"_s));
    QVERIFY(!m_hosts->contains(QHostAddress(u"198.51.100.7"_s)));
    const auto listed = m_hosts->list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 0);
}

void TestForwardingHosts::removeRefuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown network") << u"192.0.2.0/25"_s << u"not_found"_s << QString()
                                     << u"192.0.2.0/25 is not a forwarding host"_s;
    QTest::newRow("unknown host") << u"2001:db8::1"_s << u"not_found"_s << QString()
                                  << u"2001:db8::1/128 is not a forwarding host"_s;
    QTest::newRow("garbage") << u"backup-mx"_s << u"invalid"_s << u"network"_s
                             << u"'backup-mx' is not an IP address or a CIDR network "
                                "(e.g. 192.0.2.0/24 or 2001:db8::/32)"_s;
}

void TestForwardingHosts::removeRefuses()
{
    QFETCH(QString, input);
    QFETCH(QString, code);
    QFETCH(QString, field);
    QFETCH(QString, message);
    PROMAIL_VERIFY_OK(m_hosts->add(u"192.0.2.0/24"_s, {}));
    const Status removed = m_hosts->remove(input);
    QVERIFY(!removed.ok());
    QCOMPARE(errorCodeName(removed.error().code), code);
    QCOMPARE(removed.error().field, field);
    QCOMPARE(removed.error().message, message);
    QVERIFY(m_hosts->contains(QHostAddress(u"192.0.2.9"_s)));
}

void TestForwardingHosts::listKeepsDescriptionAndOrder()
{
    PROMAIL_VERIFY_OK(m_hosts->add(u"203.0.113.0/24"_s, u"  backup MX at the ISP  "_s));
    PROMAIL_VERIFY_OK(m_hosts->add(u"192.0.2.1"_s, {}));
    const auto listed = m_hosts->list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 2);
    QCOMPARE(listed->at(0).network, u"203.0.113.0/24"_s);
    QCOMPARE(listed->at(0).description, u"backup MX at the ISP"_s);
    QCOMPARE(listed->at(1).network, u"192.0.2.1/32"_s);
    QCOMPARE(listed->at(1).description, u""_s);
    QCOMPARE(listed->at(0).createdAt.timeSpec(), Qt::UTC);
}

void TestForwardingHosts::persistsAcrossInstances()
{
    PROMAIL_VERIFY_OK(m_hosts->add(u"192.0.2.0/24"_s, u"relay"_s));
    PROMAIL_VERIFY_OK(m_hosts->add(u"2001:db8::/32"_s, {}));

    ForwardingHosts reopened(m_fixture->database());
    // The cache is empty until load(): the daemon loads it at start.
    QVERIFY(!reopened.contains(QHostAddress(u"192.0.2.1"_s)));
    PROMAIL_VERIFY_OK(reopened.load());
    QVERIFY(reopened.contains(QHostAddress(u"192.0.2.1"_s)));
    QVERIFY(reopened.contains(QHostAddress(u"2001:db8:ffff::1"_s)));
    QVERIFY(!reopened.contains(QHostAddress(u"192.0.3.1"_s)));
    const auto listed = reopened.list();
    PROMAIL_VERIFY_OK(listed);
    QCOMPARE(listed->size(), 2);
    QCOMPARE(listed->at(0).description, u"relay"_s);

    // A removal through one instance reaches the other at its next load().
    PROMAIL_VERIFY_OK(reopened.remove(u"192.0.2.0/24"_s));
    PROMAIL_VERIFY_OK(m_hosts->load());
    QVERIFY(!m_hosts->contains(QHostAddress(u"192.0.2.1"_s)));
    QVERIFY(m_hosts->contains(QHostAddress(u"2001:db8::1"_s)));
}

QTEST_GUILESS_MAIN(TestForwardingHosts)
#include "tst_forwardinghosts.moc"
