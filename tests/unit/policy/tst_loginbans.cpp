#include "../directory/directorytestfixture.h"
#include "core/settingdefinitions.h"
#include "policy/loginbans.h"

#include <QAtomicInteger>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
// 2026-01-01T00:00:00Z: the fake clock's epoch, so timestamps in the tests are literal.
const QDateTime kStart = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
} // namespace

// The failed-login ban list over a real migrated database for its settings, with a fake clock
// so that windows and ban durations pass without waiting.
class TestLoginBans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void banAfterThreshold_data();
    void banAfterThreshold();
    void failuresOutsideWindowAreForgotten();
    void settingChangesApplyAtOnce();
    void banExpires();
    void banRecord();
    void bansAreListedOldestFirst();
    void lift_data();
    void lift();
    void ipv4MappedClientsShareTheIpv4Key_data();
    void ipv4MappedClientsShareTheIpv4Key();
    void nullAddressIsNeverBanned();
    void concurrentFailuresCountExactly();

private:
    void setSetting(const QString& key, qint64 value);
    QDateTime now() const { return kStart.addSecs(m_seconds.load()); }
    void advance(qint64 seconds) { m_seconds += seconds; }

    std::unique_ptr<test::DirectoryTestFixture> m_fixture;
    std::unique_ptr<LoginBans> m_bans;
    std::atomic<qint64> m_seconds{0};
};

void TestLoginBans::init()
{
    m_bans.reset();
    m_fixture = std::make_unique<test::DirectoryTestFixture>();
    const QString error = m_fixture->setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_seconds = 0;
    m_bans = std::make_unique<LoginBans>(m_fixture->settings(), [this] { return now(); });
}

void TestLoginBans::setSetting(const QString& key, qint64 value)
{
    const auto stored = m_fixture->settings().set(key, QJsonValue(value));
    QVERIFY2(stored.ok(), test::failureText(stored).constData());
}

void TestLoginBans::banAfterThreshold_data()
{
    QTest::addColumn<int>("maxFailures");
    QTest::addColumn<int>("failures");
    QTest::addColumn<bool>("banned");

    QTest::newRow("default 10, 9 failures") << 0 << 9 << false;
    QTest::newRow("default 10, 10 failures") << 0 << 10 << true;
    QTest::newRow("max 3, 2 failures") << 3 << 2 << false;
    QTest::newRow("max 3, 3 failures") << 3 << 3 << true;
    QTest::newRow("max 1, 1 failure") << 1 << 1 << true;
}

void TestLoginBans::banAfterThreshold()
{
    QFETCH(int, maxFailures);
    QFETCH(int, failures);
    QFETCH(bool, banned);
    if (maxFailures > 0)
        setSetting(settingkeys::kAuthMaxFailures, maxFailures);
    const QHostAddress client(u"192.0.2.10"_s);
    const QHostAddress other(u"192.0.2.11"_s);
    int bansStarted = 0;
    for (int i = 0; i < failures; ++i)
    {
        QVERIFY(!m_bans->isBanned(client));
        bansStarted += m_bans->recordFailure(client, u"smtp"_s) ? 1 : 0;
        advance(1);
    }
    QCOMPARE(m_bans->isBanned(client), banned);
    QCOMPARE(bansStarted, banned ? 1 : 0);
    QCOMPARE(m_bans->isBanned(other), false);
    QCOMPARE(m_bans->bans().size(), banned ? 1 : 0);
}

void TestLoginBans::failuresOutsideWindowAreForgotten()
{
    setSetting(settingkeys::kAuthMaxFailures, 3);
    setSetting(settingkeys::kAuthFailureWindow, 60);
    const QHostAddress client(u"198.51.100.1"_s);
    QVERIFY(!m_bans->recordFailure(client, u"imap"_s)); // t=0
    advance(30);
    QVERIFY(!m_bans->recordFailure(client, u"imap"_s)); // t=30
    advance(30);
    // t=60: the failure at t=0 is exactly one window old and no longer counts.
    QVERIFY(!m_bans->recordFailure(client, u"imap"_s));
    QVERIFY(!m_bans->isBanned(client));
    advance(29);
    // t=89: the failures at 30, 60 and 89 are within 60 seconds.
    QVERIFY(m_bans->recordFailure(client, u"imap"_s));
    QVERIFY(m_bans->isBanned(client));
    QCOMPARE(m_bans->bans().value(0).failures, 3);
}

void TestLoginBans::settingChangesApplyAtOnce()
{
    const QHostAddress client(u"203.0.113.5"_s);
    for (int i = 0; i < 4; ++i)
        QVERIFY(!m_bans->recordFailure(client, u"pop3"_s));
    // Lowering the threshold to 5 bans on the fifth failure, without a restart.
    setSetting(settingkeys::kAuthMaxFailures, 5);
    QVERIFY(m_bans->recordFailure(client, u"pop3"_s));

    // A smaller window forgets failures the larger one still counted.
    const QHostAddress second(u"203.0.113.6"_s);
    for (int i = 0; i < 4; ++i)
        QVERIFY(!m_bans->recordFailure(second, u"pop3"_s));
    advance(100);
    setSetting(settingkeys::kAuthFailureWindow, 60);
    QVERIFY(!m_bans->recordFailure(second, u"pop3"_s)); // 1 in the window, not 5
    QVERIFY(!m_bans->isBanned(second));
}

void TestLoginBans::banExpires()
{
    setSetting(settingkeys::kAuthMaxFailures, 2);
    setSetting(settingkeys::kAuthBanDuration, 120);
    const QHostAddress client(u"2001:db8::7"_s);
    QVERIFY(!m_bans->recordFailure(client, u"managesieve"_s));
    QVERIFY(m_bans->recordFailure(client, u"managesieve"_s));
    advance(119);
    QVERIFY(m_bans->isBanned(client));
    QCOMPARE(m_bans->bans().size(), 1);
    advance(1);
    QVERIFY(!m_bans->isBanned(client));
    QCOMPARE(m_bans->bans().size(), 0);
    // The count starts afresh after the ban: one failure does not ban again.
    QVERIFY(!m_bans->recordFailure(client, u"managesieve"_s));
    QVERIFY(!m_bans->isBanned(client));
    QVERIFY(m_bans->recordFailure(client, u"managesieve"_s));
}

void TestLoginBans::banRecord()
{
    setSetting(settingkeys::kAuthMaxFailures, 3);
    setSetting(settingkeys::kAuthBanDuration, 900);
    const QHostAddress client(u"192.0.2.200"_s);
    QVERIFY(!m_bans->recordFailure(client, u"imap"_s));
    advance(5);
    QVERIFY(!m_bans->recordFailure(client, u"smtp"_s));
    advance(5);
    QVERIFY(m_bans->recordFailure(client, u"admin"_s));
    // Failures while banned (sessions opened before the ban) change nothing.
    QVERIFY(!m_bans->recordFailure(client, u"imap"_s));

    const QList<LoginBan> bans = m_bans->bans();
    QCOMPARE(bans.size(), 1);
    QCOMPARE(bans.at(0).address, u"192.0.2.200"_s);
    QCOMPARE(bans.at(0).service, u"admin"_s);
    QCOMPARE(bans.at(0).failures, 3);
    QCOMPARE(bans.at(0).bannedAt, QDateTime(QDate(2026, 1, 1), QTime(0, 0, 10), Qt::UTC));
    QCOMPARE(bans.at(0).expiresAt, QDateTime(QDate(2026, 1, 1), QTime(0, 15, 10), Qt::UTC));
}

void TestLoginBans::bansAreListedOldestFirst()
{
    setSetting(settingkeys::kAuthMaxFailures, 1);
    QVERIFY(m_bans->recordFailure(QHostAddress(u"192.0.2.3"_s), u"smtp"_s));
    advance(10);
    QVERIFY(m_bans->recordFailure(QHostAddress(u"2001:db8::1"_s), u"imap"_s));
    QVERIFY(m_bans->recordFailure(QHostAddress(u"192.0.2.1"_s), u"pop3"_s));
    QStringList order;
    for (const LoginBan& ban : m_bans->bans())
        order << ban.address;
    QCOMPARE(order, (QStringList{u"192.0.2.3"_s, u"192.0.2.1"_s, u"2001:db8::1"_s}));
}

void TestLoginBans::lift_data()
{
    QTest::addColumn<QString>("banned");
    QTest::addColumn<QString>("lifted");
    QTest::addColumn<bool>("result");

    QTest::newRow("same text") << u"192.0.2.9"_s << u"192.0.2.9"_s << true;
    QTest::newRow("surrounding space") << u"192.0.2.9"_s << u" 192.0.2.9 "_s << true;
    QTest::newRow("IPv6, other spelling") << u"2001:db8::9"_s << u"2001:DB8:0::9"_s << true;
    QTest::newRow("IPv4-mapped spelling") << u"192.0.2.9"_s << u"::ffff:192.0.2.9"_s << true;
    QTest::newRow("other address") << u"192.0.2.9"_s << u"192.0.2.8"_s << false;
    QTest::newRow("not an address") << u"192.0.2.9"_s << u"banned-host"_s << false;
}

void TestLoginBans::lift()
{
    QFETCH(QString, banned);
    QFETCH(QString, lifted);
    QFETCH(bool, result);
    setSetting(settingkeys::kAuthMaxFailures, 2);
    const QHostAddress client(banned);
    QVERIFY(!m_bans->recordFailure(client, u"smtp"_s));
    QVERIFY(m_bans->recordFailure(client, u"smtp"_s));
    QCOMPARE(m_bans->lift(lifted), result);
    QCOMPARE(m_bans->isBanned(client), !result);
    QCOMPARE(m_bans->lift(lifted), false); // nothing left to lift
}

void TestLoginBans::ipv4MappedClientsShareTheIpv4Key_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QString>("listed");

    QTest::newRow("mapped, then plain") << u"::ffff:192.0.2.44"_s << u"192.0.2.44"_s << u"192.0.2.44"_s;
    QTest::newRow("plain, then mapped") << u"192.0.2.44"_s << u"::ffff:192.0.2.44"_s << u"192.0.2.44"_s;
    QTest::newRow("IPv6 with zone") << u"fe80::1%1"_s << u"fe80::1"_s << u"fe80::1"_s;
}

void TestLoginBans::ipv4MappedClientsShareTheIpv4Key()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(QString, listed);
    setSetting(settingkeys::kAuthMaxFailures, 2);
    QVERIFY(!m_bans->recordFailure(QHostAddress(first), u"smtp"_s));
    QVERIFY(m_bans->recordFailure(QHostAddress(second), u"smtp"_s));
    QVERIFY(m_bans->isBanned(QHostAddress(first)));
    QVERIFY(m_bans->isBanned(QHostAddress(second)));
    QCOMPARE(m_bans->bans().value(0).address, listed);
}

void TestLoginBans::nullAddressIsNeverBanned()
{
    setSetting(settingkeys::kAuthMaxFailures, 1);
    QVERIFY(!m_bans->recordFailure(QHostAddress(), u"admin"_s));
    QVERIFY(!m_bans->isBanned(QHostAddress()));
    QCOMPARE(m_bans->bans().size(), 0);
}

void TestLoginBans::concurrentFailuresCountExactly()
{
    setSetting(settingkeys::kAuthMaxFailures, 1000);
    const QHostAddress shared(u"192.0.2.77"_s);
    constexpr int kThreads = 8;
    constexpr int kPerThread = 124; // 8 × 124 = 992: eight short of the threshold
    QAtomicInteger<int> started = 0;
    auto hammer = [&](int count, const QHostAddress& own)
    {
        for (int i = 0; i < count; ++i)
        {
            if (m_bans->recordFailure(shared, u"smtp"_s))
                started.fetchAndAddRelaxed(1);
            m_bans->recordFailure(own, u"imap"_s);
            m_bans->isBanned(shared);
        }
    };
    QList<QThread*> threads;
    for (int t = 0; t < kThreads; ++t)
        threads << QThread::create(hammer, kPerThread, QHostAddress(u"198.51.100.%1"_s.arg(t)));
    for (QThread* thread : threads)
        thread->start();
    for (QThread* thread : threads)
    {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    QCOMPARE(started.loadRelaxed(), 0);
    QVERIFY(!m_bans->isBanned(shared));

    // Eight more, from eight threads at once: exactly the last one bans, whichever it is.
    threads.clear();
    for (int t = 0; t < kThreads; ++t)
        threads << QThread::create(hammer, 1, QHostAddress(u"198.51.100.%1"_s.arg(t)));
    for (QThread* thread : threads)
        thread->start();
    for (QThread* thread : threads)
    {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    QCOMPARE(started.loadRelaxed(), 1);
    QVERIFY(m_bans->isBanned(shared));
    const QList<LoginBan> bans = m_bans->bans();
    QCOMPARE(bans.size(), 1);
    QCOMPARE(bans.at(0).address, u"192.0.2.77"_s);
    QCOMPARE(bans.at(0).failures, 1000);
}

QTEST_GUILESS_MAIN(TestLoginBans)
#include "tst_loginbans.moc"
