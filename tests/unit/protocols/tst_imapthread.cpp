// THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES on crafted messages, the thread-list
// syntax of §4, and the message IDs read from References: and In-Reply-To:.
#include "message/headerblock.h"
#include "protocols/imap/imapthread.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
// "message-id|references|subject|sent" per message, separated by ";"; references by ",".
QList<ImapThread::Message> messages(const QByteArray& spec)
{
    QList<ImapThread::Message> list;
    for (const QByteArray& one : spec.split(';'))
    {
        const QList<QByteArray> f = one.split('|');
        ImapThread::Message m;
        m.index = list.size();
        m.messageId = f[0];
        if (!f[1].isEmpty())
            m.references = f[1].split(',');
        const ImapThread::Message parsed = ImapThread::Message::of(
            SnapshotMessage{}, 0, HeaderBlock::parse(QByteArray("Subject: "_ba + f[2] + "\r\n\r\n"_ba)));
        m.subject = parsed.subject;
        m.replyOrForward = parsed.replyOrForward;
        m.sent = f[3].toLongLong();
        list.append(m);
    }
    return list;
}
} // namespace

class TestImapThread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threads_data()
    {
        QTest::addColumn<QByteArray>("algorithm");
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<QByteArray>("expected");
        // ORDEREDSUBJECT: runs of one base subject, the first the parent of the rest, threads by date.
        QTest::newRow("os one thread of two") << "ORDEREDSUBJECT"_ba
                                              << "a||hi|1;b||Re: hi|2"_ba
                                              << "(1 2)"_ba;
        QTest::newRow("os siblings and date order") << "orderedsubject"_ba
                                                    << "a||A|100;b||Re: A|200;c||B|50;d||re: a|300"_ba
                                                    << "(3)(1 (2)(4))"_ba;
        QTest::newRow("os ignores references") << "ORDEREDSUBJECT"_ba
                                               << "a||x|1;b|a|y|2"_ba
                                               << "(1)(2)"_ba;
        QTest::newRow("os earliest sent is the parent") << "ORDEREDSUBJECT"_ba
                                                        << "a||Re: s|9;b||s|5"_ba
                                                        << "(2 1)"_ba;
        // REFERENCES
        QTest::newRow("chain") << "REFERENCES"_ba
                               << "a||s|1;b|a|Re: s|2;c|a,b|Re: s|3"_ba
                               << "(1 2 3)"_ba;
        QTest::newRow("branches") << "REFERENCES"_ba
                                  << "a||s|1;b|a|Re: s|2;c|a|Re: s|3"_ba
                                  << "(1 (2)(3))"_ba;
        QTest::newRow("missing parent gives a dummy") << "REFERENCES"_ba
                                                      << "b|x|p|1;c|x|q|2"_ba
                                                      << "((1)(2))"_ba;
        QTest::newRow("dummy with one child goes") << "REFERENCES"_ba
                                                   << "b|x|s|1"_ba
                                                   << "(1)"_ba;
        QTest::newRow("inner dummy goes") << "REFERENCES"_ba
                                          << "a||s|1;c|a,x|Re: s|2"_ba
                                          << "(1 2)"_ba;
        QTest::newRow("reply joins by subject") << "REFERENCES"_ba
                                                << "a||hello|1;b||Re: hello|2"_ba
                                                << "(1 2)"_ba;
        QTest::newRow("misordered reply") << "REFERENCES"_ba
                                          << "a||Re: hi|100;b||hi|200"_ba
                                          << "(2 1)"_ba;
        QTest::newRow("same subject, neither a reply") << "REFERENCES"_ba
                                                       << "a||s|1;b||s|2"_ba
                                                       << "((1)(2))"_ba;
        QTest::newRow("both replies") << "REFERENCES"_ba
                                      << "a||Re: s|1;b||Fwd: s|2"_ba
                                      << "((1)(2))"_ba;
        QTest::newRow("threads by date") << "REFERENCES"_ba
                                         << "a||x|300;b||y|100"_ba
                                         << "(2)(1)"_ba;
        QTest::newRow("loop is broken") << "REFERENCES"_ba
                                        << "a|b|s|1;b|a|t|2"_ba
                                        << "(2 1)"_ba;
        QTest::newRow("self reference") << "REFERENCES"_ba
                                        << "a|a|s|1"_ba
                                        << "(1)"_ba;
        QTest::newRow("duplicate message-id") << "REFERENCES"_ba
                                              << "a||s|1;a||s|2"_ba
                                              << "((1)(2))"_ba;
        QTest::newRow("no message-id") << "REFERENCES"_ba
                                       << "||s|1;|x|t|2"_ba
                                       << "(1)(2)"_ba;
        QTest::newRow("siblings by date") << "REFERENCES"_ba
                                          << "a||s|1;b|a|Re: s|9;c|a|Re: s|5"_ba
                                          << "(1 (3)(2))"_ba;
        QTest::newRow("dummy joins a real root") << "REFERENCES"_ba
                                                 << "b|x|s|5;c|x|Re: s|6;d||s|1"_ba
                                                 << "((3)(1)(2))"_ba;
        QTest::newRow("empty subjects do not join") << "REFERENCES"_ba
                                                    << "a||Re:|1;b|||2"_ba
                                                    << "(1)(2)"_ba;
        // RFC 5256 §4 shape: "(2)(3 6 (4 23)(44 7 96))" with those as message numbers.
        QTest::newRow("rfc 5256 example shape")
            << "REFERENCES"_ba
            << "m2||x|1;m3||y|2;m6|m3|Re: y|3;m4|m3,m6|Re: y|4;m23|m4|Re: y|5;m44|m6|Re: y|6;m7|m44|Re: y|7;"
               "m96|m7|Re: y|8"_ba
            << "(1)(2 3 (4 5)(6 7 8))"_ba;
    }

    void threads()
    {
        QFETCH(QByteArray, algorithm);
        QFETCH(QByteArray, spec);
        QFETCH(QByteArray, expected);
        const auto parsed = ImapThread::algorithm(algorithm);
        QVERIFY(parsed);
        QCOMPARE(ImapThread::threads(messages(spec), *parsed, [](qsizetype index) { return qint64(index + 1); }),
                 expected);
    }

    void unknownAlgorithm()
    {
        QVERIFY(!ImapThread::algorithm("REFS"_ba));
        QVERIFY(!ImapThread::algorithm(""_ba));
    }

    void messageIds_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QList<QByteArray>>("ids");
        QTest::newRow("list") << "<a@x> <b@y>\t<c@z>"_ba << QList<QByteArray>{"a@x", "b@y", "c@z"};
        QTest::newRow("folded inside") << "<a@\r\n x>"_ba << QList<QByteArray>{"a@x"};
        QTest::newRow("comment and junk") << "(old) <a@x> junk"_ba << QList<QByteArray>{"a@x"};
        QTest::newRow("unclosed") << "<a@x"_ba << QList<QByteArray>{};
        QTest::newRow("empty brackets") << "<> <b@y>"_ba << QList<QByteArray>{"b@y"};
    }

    void messageIds()
    {
        QFETCH(QByteArray, value);
        QFETCH(QList<QByteArray>, ids);
        QCOMPARE(ImapThread::messageIds(value), ids);
    }

    void messageOfHeader()
    {
        SnapshotMessage snapshot;
        snapshot.internalDate = 77;
        const HeaderBlock header = HeaderBlock::parse("Message-ID: <me@x>\r\nIn-Reply-To: <p@x> <q@x>\r\n"
                                                      "Subject: Fwd: Topic\r\n\r\n"_ba);
        const ImapThread::Message m = ImapThread::Message::of(snapshot, 4, header);
        QCOMPARE(m.index, 4);
        QCOMPARE(m.messageId, "me@x"_ba);
        QCOMPARE(m.references, QList<QByteArray>{"p@x"});
        QCOMPARE(m.subject, "TOPIC"_ba);
        QVERIFY(m.replyOrForward);
        QCOMPARE(m.sent, 77);
        const HeaderBlock both = HeaderBlock::parse("References: <r@x> <s@x>\r\nIn-Reply-To: <p@x>\r\n\r\n"_ba);
        QCOMPARE(ImapThread::Message::of(snapshot, 0, both).references, (QList<QByteArray>{"r@x", "s@x"}));
    }
};

QTEST_GUILESS_MAIN(TestImapThread)
#include "tst_imapthread.moc"
