// Spam training events on a real SQLite database: the move classification, durable rows,
// pending/consume for the spam filter.
#include "mailstore/spamtraining.h"
#include "mailstorefixture.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

Q_DECLARE_METATYPE(promail::SpamVerdict)

// Only the database part of the fixture: no committer or store.
class TestSpamTraining : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase(); // mailbox 1 is alice
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void cleanup() { tearDown(); }

    void classifyMove_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("inbox to junk") << u""_s << u"\\Junk"_s << u"spam"_s;
        QTest::newRow("archive to junk") << u"\\Archive"_s << u"\\Junk"_s << u"spam"_s;
        QTest::newRow("junk attribute in other case") << u""_s << u"\\junk"_s << u"spam"_s;
        QTest::newRow("junk to inbox") << u"\\Junk"_s << u""_s << u"ham"_s;
        QTest::newRow("junk to archive") << u"\\Junk"_s << u"\\Archive"_s << u"ham"_s;
        QTest::newRow("junk to trash") << u"\\Junk"_s << u"\\Trash"_s << u""_s;
        QTest::newRow("junk to junk") << u"\\Junk"_s << u"\\Junk"_s << u""_s;
        QTest::newRow("inbox to trash") << u""_s << u"\\Trash"_s << u""_s;
        QTest::newRow("inbox to archive") << u""_s << u"\\Archive"_s << u""_s;
    }

    void classifyMove()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, verdict);
        QCOMPARE(SpamTraining::verdictName(SpamTraining::classifyMove(from, to)), verdict);
    }

    void recordPendingConsume()
    {
        const SpamTraining training(*m_db);
        const auto first = training.record(1, u"3/new/a"_s, u"a@example.net"_s, SpamVerdict::Spam);
        QVERIFY(first);
        const auto second = training.record(1, {}, u"b@example.net"_s, SpamVerdict::Ham);
        QVERIFY(second);
        QCOMPARE(*first, qint64(1));
        QCOMPARE(*second, qint64(2));

        auto events = training.pending(10);
        QVERIFY(events);
        QCOMPARE(events->size(), 2);
        QCOMPARE(events->at(0).messageFile, u"3/new/a"_s);
        QCOMPARE(events->at(0).messageId, u"a@example.net"_s);
        QCOMPARE(events->at(0).verdict, SpamVerdict::Spam);
        QCOMPARE(events->at(1).messageFile, u""_s);
        QCOMPARE(events->at(1).verdict, SpamVerdict::Ham);
        QVERIFY(events->at(1).createdAt > 1600000000);

        const auto limited = training.pending(1);
        QVERIFY(limited);
        QCOMPARE(limited->size(), 1);
        QCOMPARE(limited->at(0).id, qint64(1));

        QVERIFY(training.consume({1, 99}));
        events = training.pending(10);
        QVERIFY(events);
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->at(0).id, qint64(2));
        auto raw = m_db->run(u"SELECT id, verdict, consumed FROM spam_training_events ORDER BY id"_s);
        QVERIFY(raw);
        QStringList rows;
        while (raw->next())
            rows.append(
                u"%1|%2|%3"_s.arg(raw->value(0).toString(), raw->value(1).toString(), raw->value(2).toString()));
        QCOMPARE(rows, (QStringList{u"1|spam|1"_s, u"2|ham|0"_s}));
    }

    void recordRefusals()
    {
        const SpamTraining training(*m_db);
        const auto none = training.record(1, u"f"_s, {}, SpamVerdict::None);
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::Invalid);
        QCOMPARE(none.error().field, u"verdict"_s);
        const auto nothing = training.record(1, {}, {}, SpamVerdict::Spam);
        QVERIFY(!nothing);
        QCOMPARE(nothing.error().field, u"message"_s);
        const auto unknown = training.record(42, u"f"_s, {}, SpamVerdict::Spam);
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QCOMPARE(unknown.error().message, u"mailbox 42 does not exist"_s);
    }

    void eventsGoWithTheMailbox()
    {
        const SpamTraining training(*m_db);
        QVERIFY(training.record(1, u"f"_s, {}, SpamVerdict::Spam));
        QVERIFY(m_db->run(u"DELETE FROM mailboxes WHERE id = 1"_s));
        const auto events = training.pending(10);
        QVERIFY(events);
        QCOMPARE(events->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSpamTraining)
#include "tst_spamtraining.moc"
