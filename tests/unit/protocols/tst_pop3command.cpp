// POP3 command lines (RFC 1939 §3, RFC 2449 §3) and the multi-line encoding of stored messages
// (RFC 1939 §3 byte-stuffing, §7 TOP), on crafted bytes with literal expectations.
#include "protocols/pop3/dotstuffer.h"
#include "protocols/pop3/pop3command.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestPop3Command : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QByteArrayList>("arguments");
        QTest::addColumn<QString>("error");
        QTest::newRow("bare") << "STAT"_ba
                              << "STAT"_ba << QByteArrayList{} << QString();
        QTest::newRow("lower case") << "list 2"_ba
                                    << "LIST"_ba << QByteArrayList{"2"_ba} << QString();
        QTest::newRow("two arguments") << "TOP 1 10"_ba
                                       << "TOP"_ba << QByteArrayList{"1"_ba, "10"_ba} << QString();
        QTest::newRow("extra spaces") << "TOP  1   10 "_ba
                                      << "TOP"_ba << QByteArrayList{"1"_ba, "10"_ba} << QString();
        QTest::newRow("user") << "USER alice@example.org"_ba
                              << "USER"_ba << QByteArrayList{"alice@example.org"_ba} << QString();
        QTest::newRow("password with spaces") << "PASS correct horse  battery "_ba
                                              << "PASS"_ba << QByteArrayList{"correct horse  battery "_ba} << QString();
        QTest::newRow("password utf-8") << "pass p\xc3\xa4ss"_ba
                                        << "PASS"_ba << QByteArrayList{"p\xc3\xa4ss"_ba} << QString();
        QTest::newRow("pass without argument") << "PASS"_ba
                                               << "PASS"_ba << QByteArrayList{} << QString();
        QTest::newRow("auth initial response")
            << "AUTH PLAIN AGFsaWNlAHNlY3JldA=="_ba
            << "AUTH"_ba << QByteArrayList{"PLAIN"_ba, "AGFsaWNlAHNlY3JldA=="_ba} << QString();
        QTest::newRow("unknown verb is still a command") << "XYZZY 1"_ba
                                                         << "XYZZY"_ba << QByteArrayList{"1"_ba} << QString();
        QTest::newRow("empty") << ""_ba
                               << ""_ba << QByteArrayList{} << u"empty command line"_s;
        QTest::newRow("leading space") << " STAT"_ba
                                       << ""_ba << QByteArrayList{} << u"expected a command keyword"_s;
        QTest::newRow("NUL") << "RETR\0001"_ba
                             << ""_ba << QByteArrayList{} << u"control characters are not allowed in a command"_s;
        QTest::newRow("tab") << "LIST\t1"_ba
                             << ""_ba << QByteArrayList{} << u"control characters are not allowed in a command"_s;
        QTest::newRow("DEL in password") << "PASS a\x7f"_ba
                                         << ""_ba << QByteArrayList{}
                                         << u"control characters are not allowed in a command"_s;
    }

    void parse()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, verb);
        QFETCH(QByteArrayList, arguments);
        QFETCH(QString, error);
        const Pop3Command command = Pop3Command::parse(line);
        QCOMPARE(command.error, error);
        QCOMPARE(command.ok(), error.isEmpty());
        if (command.ok())
            QCOMPARE(command.verb, verb);
        QCOMPARE(command.arguments, arguments);
    }

    void number_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("value"); // -1: not a number
        QTest::newRow("one") << "1"_ba << qint64(1);
        QTest::newRow("zero") << "0"_ba << qint64(0);
        QTest::newRow("leading zeros") << "007"_ba << qint64(7);
        QTest::newRow("ten digits") << "9999999999"_ba << qint64(9999999999);
        QTest::newRow("eleven digits") << "10000000000"_ba << qint64(-1);
        QTest::newRow("negative") << "-1"_ba << qint64(-1);
        QTest::newRow("plus") << "+1"_ba << qint64(-1);
        QTest::newRow("trailing letter") << "1a"_ba << qint64(-1);
        QTest::newRow("empty") << ""_ba << qint64(-1);
        QTest::newRow("space") << "1 "_ba << qint64(-1);
    }

    void number()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, value);
        const std::optional<qint64> parsed = Pop3Command::number(text);
        QCOMPARE(parsed.value_or(-1), value);
    }

    void dotStuffing_data()
    {
        QTest::addColumn<QByteArrayList>("pieces");
        QTest::addColumn<qint64>("bodyLines");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray message = "Subject: hi\r\n.From: odd\r\n\r\nline 1\r\n.line 2\r\n..line 3\r\nline 4\r\n"_ba;
        QTest::newRow("whole message") << QByteArrayList{message} << qint64(-1)
                                       << "Subject: hi\r\n..From: odd\r\n\r\nline 1\r\n..line 2\r\n...line 3\r\n"
                                          "line 4\r\n.\r\n"_ba;
        QTest::newRow("top 0") << QByteArrayList{message} << qint64(0) << "Subject: hi\r\n..From: odd\r\n\r\n.\r\n"_ba;
        QTest::newRow("top 2") << QByteArrayList{message} << qint64(2)
                               << "Subject: hi\r\n..From: odd\r\n\r\nline 1\r\n..line 2\r\n.\r\n"_ba;
        QTest::newRow("top beyond the end") << QByteArrayList{message} << qint64(100)
                                            << "Subject: hi\r\n..From: odd\r\n\r\nline 1\r\n..line 2\r\n...line 3\r\n"
                                               "line 4\r\n.\r\n"_ba;
        QTest::newRow("dot line alone") << QByteArrayList{"A: b\r\n\r\n.\r\nafter\r\n"_ba} << qint64(-1)
                                        << "A: b\r\n\r\n..\r\nafter\r\n.\r\n"_ba;
        // Pieces split inside CRLF, right before a dot, and between the blank line's CR and LF.
        QTest::newRow("split pieces") << QByteArrayList{"A: b\r"_ba, "\n\r"_ba, "\n"_ba, ".x\r\n"_ba, "."_ba, "\r\n"_ba}
                                      << qint64(-1) << "A: b\r\n\r\n..x\r\n..\r\n.\r\n"_ba;
        QTest::newRow("split top") << QByteArrayList{"A: b\r\n\r"_ba, "\none\r\ntwo\r"_ba, "\nthree\r\n"_ba}
                                   << qint64(2) << "A: b\r\n\r\none\r\ntwo\r\n.\r\n"_ba;
        QTest::newRow("bare LF becomes CRLF")
            << QByteArrayList{"A: b\n\n.x\nend"_ba} << qint64(-1) << "A: b\r\n\r\n..x\r\nend\r\n.\r\n"_ba;
        QTest::newRow("no final line end")
            << QByteArrayList{"A: b\r\n\r\nlast"_ba} << qint64(-1) << "A: b\r\n\r\nlast\r\n.\r\n"_ba;
        QTest::newRow("final lone CR") << QByteArrayList{"A: b\r\n\r\nlast\r"_ba} << qint64(-1)
                                       << "A: b\r\n\r\nlast\r\n.\r\n"_ba;
        QTest::newRow("no body, top 5") << QByteArrayList{"A: b\r\nC: d\r\n"_ba} << qint64(5)
                                        << "A: b\r\nC: d\r\n.\r\n"_ba;
        QTest::newRow("empty message") << QByteArrayList{} << qint64(-1) << ".\r\n"_ba;
        QTest::newRow("blank line first")
            << QByteArrayList{"\r\nbody\r\nmore\r\n"_ba} << qint64(1) << "\r\nbody\r\n.\r\n"_ba;
    }

    void dotStuffing()
    {
        QFETCH(QByteArrayList, pieces);
        QFETCH(qint64, bodyLines);
        QFETCH(QByteArray, expected);
        DotStuffer stuffer(bodyLines);
        QByteArray out;
        for (const QByteArray& piece : pieces)
            out += stuffer.feed(piece);
        out += stuffer.finish();
        QCOMPARE(out, expected);
    }

    void topStopsReading()
    {
        DotStuffer stuffer(1);
        QCOMPARE(stuffer.feed("A: b\r\n\r\none\r\n"_ba), "A: b\r\n\r\none\r\n"_ba);
        QVERIFY(stuffer.isDone());
        QCOMPARE(stuffer.feed("two\r\n"_ba), QByteArray());
        QCOMPARE(stuffer.finish(), ".\r\n"_ba);
    }
};

QTEST_GUILESS_MAIN(TestPop3Command)
#include "tst_pop3command.moc"
