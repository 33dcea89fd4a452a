// IMAP command assembly: lines, synchronizing and non-synchronizing literals, hard limits
// checked before any literal byte is accepted.
#include "protocols/imap/imapcommandreader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;
using Event = ImapCommandReader::Event;

Q_DECLARE_METATYPE(ImapCommandReader::Event)

class TestImapCommandReader : public QObject
{
    Q_OBJECT

private:
    // Feeds the chunks one after another and records every event with its command.
    static QStringList run(const QList<QByteArray>& chunks, qint64 maxLiteral = ImapCommandReader::kMaxLiteral)
    {
        ImapCommandReader reader(maxLiteral);
        QStringList events;
        QByteArray input;
        for (const QByteArray& chunk : chunks)
        {
            input += chunk;
            for (;;)
            {
                const Event event = reader.feed(input);
                if (event == Event::NeedMore)
                    break;
                switch (event)
                {
                case Event::Command:
                    events.append(u"command:"_s + QString::fromLatin1(reader.command().toPercentEncoding(" {}+")));
                    break;
                case Event::Continue:
                    events.append(u"continue"_s);
                    break;
                case Event::LineTooLong:
                    events.append(u"too-long:"_s + QString::fromLatin1(reader.tag()));
                    break;
                case Event::LiteralTooLarge:
                    events.append(u"literal-too-large:"_s + QString::fromLatin1(reader.tag()));
                    break;
                case Event::NeedMore:
                    break;
                }
            }
        }
        return events;
    }

private Q_SLOTS:
    void events_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("one line") << QList<QByteArray>{"a1 NOOP\r\n"} << QStringList{u"command:a1 NOOP"_s};
        QTest::newRow("bare LF accepted") << QList<QByteArray>{"a1 NOOP\n"} << QStringList{u"command:a1 NOOP"_s};
        QTest::newRow("two pipelined") << QList<QByteArray>{"a1 NOOP\r\na2 CAPABILITY\r\n"}
                                       << QStringList{u"command:a1 NOOP"_s, u"command:a2 CAPABILITY"_s};
        QTest::newRow("split line") << QList<QByteArray>{"a1 NO", "OP\r", "\n"} << QStringList{u"command:a1 NOOP"_s};
        QTest::newRow("sync literal") << QList<QByteArray>{"a1 LOGIN {5}\r\n", "alice secret\r\n"}
                                      << QStringList{u"continue"_s, u"command:a1 LOGIN {5}%0D%0Aalice secret"_s};
        QTest::newRow("non-sync literal, no continuation")
            << QList<QByteArray>{"a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n"}
            << QStringList{u"command:a1 LOGIN {5+}%0D%0Aalice {6+}%0D%0Asecret"_s};
        QTest::newRow("literal containing CRLF")
            << QList<QByteArray>{"a1 APPEND INBOX {4}\r\n", "x\r\ny", "\r\n"}
            << QStringList{u"continue"_s, u"command:a1 APPEND INBOX {4}%0D%0Ax%0D%0Ay"_s};
        QTest::newRow("empty literal") << QList<QByteArray>{"a1 SEARCH TEXT {0}\r\n", "\r\n"}
                                       << QStringList{u"continue"_s, u"command:a1 SEARCH TEXT {0}%0D%0A"_s};
        QTest::newRow("literal over the limit refused before +")
            << QList<QByteArray>{"a1 APPEND INBOX {101}\r\n", "a2 NOOP\r\n"}
            << QStringList{u"literal-too-large:a1"_s, u"command:a2 NOOP"_s};
        QTest::newRow("braces not at the end are text") << QList<QByteArray>{"a1 SEARCH SUBJECT \"{5}\" ALL\r\n"}
                                                        << QStringList{u"command:a1 SEARCH SUBJECT %22{5}%22 ALL"_s};
        QTest::newRow("not a number") << QList<QByteArray>{"a1 X {5a}\r\n"} << QStringList{u"command:a1 X {5a}"_s};
    }

    void events()
    {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(QStringList, expected);
        QCOMPARE(run(chunks, 100), expected);
    }

    void appendHasItsOwnLiteralLimit_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("expected");
        QTest::newRow("APPEND within its limit") << "a1 APPEND INBOX {500}\r\n"_ba << int(Event::Continue);
        QTest::newRow("append in lower case") << "a1 append INBOX (\\Seen) {1000}\r\n"_ba << int(Event::Continue);
        QTest::newRow("APPEND over its limit") << "a1 APPEND INBOX {1001}\r\n"_ba << int(Event::LiteralTooLarge);
        QTest::newRow("other commands keep the small limit") << "a1 LOGIN {500}\r\n"_ba << int(Event::LiteralTooLarge);
        QTest::newRow("APPENDX is not APPEND") << "a1 APPENDX {500}\r\n"_ba << int(Event::LiteralTooLarge);
    }

    void appendHasItsOwnLiteralLimit()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, expected);
        ImapCommandReader reader(100);
        reader.setMaxAppendLiteral(1000);
        QCOMPARE(int(reader.feed(line)), expected);
    }

    void nonSynchronizingLiteralsHoldAt4096Octets_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("expected");
        QTest::addColumn<bool>("nonSynchronizing");
        // RFC 7888 §5 (LITERAL-): whatever the command's own limit, {n+} stops at 4096.
        QTest::newRow("4096 non-sync") << "a1 APPEND INBOX {4096+}\r\n"_ba << int(Event::NeedMore) << true;
        QTest::newRow("4097 non-sync") << "a1 APPEND INBOX {4097+}\r\n"_ba << int(Event::LiteralTooLarge) << true;
        QTest::newRow("4097 sync") << "a1 APPEND INBOX {4097}\r\n"_ba << int(Event::Continue) << false;
        QTest::newRow("over the limit, sync")
            << "a1 APPEND INBOX {10001}\r\n"_ba << int(Event::LiteralTooLarge) << false;
    }

    void nonSynchronizingLiteralsHoldAt4096Octets()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, expected);
        QFETCH(bool, nonSynchronizing);
        ImapCommandReader reader(100);
        reader.setMaxAppendLiteral(10000);
        QCOMPARE(int(reader.feed(line)), expected);
        QCOMPARE(reader.nonSynchronizing(), nonSynchronizing);
    }

    void manySmallLiteralsCannotAddUpBeyondTheCommandLimit()
    {
        ImapCommandReader reader(ImapCommandReader::kMaxCommand);
        const QByteArray literal(ImapCommandReader::kMaxCommand / 4, 'x');
        QByteArray input = "a1 LOGIN {" + QByteArray::number(literal.size()) + "}\r\n";
        int accepted = 0;
        for (;;)
        {
            const Event event = reader.feed(input);
            if (event == Event::LiteralTooLarge)
                break;
            QCOMPARE(event, Event::Continue);
            ++accepted;
            input = literal + " {" + QByteArray::number(literal.size()) + "}\r\n";
        }
        QCOMPARE(accepted, 4);
        QCOMPARE(reader.tag(), "a1"_ba);
    }

    void largeAppendLiteralGoesToTheSink()
    {
        ImapCommandReader reader(100);
        reader.setMaxAppendLiteral(100000);
        QByteArray sunk;
        int firsts = 0;
        reader.setSpill(100,
                        [&](QByteArrayView bytes, bool first)
                        {
                            firsts += first ? 1 : 0;
                            sunk += bytes;
                            return true;
                        });
        const QByteArray message(5000, 'm');
        QByteArray input = "a1 APPEND INBOX {5000}\r\n";
        QCOMPARE(reader.feed(input), Event::Continue);
        input = message.left(3000);
        QCOMPARE(reader.feed(input), Event::NeedMore);
        input = message.mid(3000) + "\r\na2 APPEND INBOX {5}\r\nsmall\r\n";
        QCOMPARE(reader.feed(input), Event::Command);
        QCOMPARE(reader.command(), "a1 APPEND INBOX {5000}\r\n"_ba);
        QVERIFY(reader.literalSpilled());
        QVERIFY(!reader.spillFailed());
        QCOMPARE(sunk, message);
        QCOMPARE(firsts, 1);
        // A small literal stays in the command.
        QCOMPARE(reader.feed(input), Event::Continue);
        QCOMPARE(reader.feed(input), Event::Command);
        QCOMPARE(reader.command(), "a2 APPEND INBOX {5}\r\nsmall"_ba);
        QVERIFY(!reader.literalSpilled());
        // Other commands never spill, and a failing sink is reported.
        ImapCommandReader failing(100000);
        failing.setMaxAppendLiteral(100000);
        failing.setSpill(100, [](QByteArrayView, bool) { return false; });
        input = "b1 LOGIN {200}\r\n" + QByteArray(200, 'x') + "\r\n";
        QCOMPARE(failing.feed(input), Event::Continue);
        QCOMPARE(failing.feed(input), Event::Command);
        QVERIFY(!failing.literalSpilled());
        input = "b2 APPEND INBOX {200+}\r\n" + QByteArray(200, 'x') + "\r\n";
        QCOMPARE(failing.feed(input), Event::Command);
        QVERIFY(failing.literalSpilled());
        QVERIFY(failing.spillFailed());
    }

    void literalsDoNotCountTowardsTheCommandLimit()
    {
        ImapCommandReader reader(100);
        reader.setMaxAppendLiteral(ImapCommandReader::kMaxCommand * 2);
        QByteArray input = "a1 APPEND INBOX {" + QByteArray::number(ImapCommandReader::kMaxCommand * 2) + "}\r\n";
        QCOMPARE(reader.feed(input), Event::Continue);
        input = QByteArray(ImapCommandReader::kMaxCommand * 2, 'm') + "\r\n";
        QCOMPARE(reader.feed(input), Event::Command);
        QCOMPARE(reader.command().size(), 26 + ImapCommandReader::kMaxCommand * 2); // "a1 APPEND INBOX {524288}\r\n"
    }

    void overlongLineIsDiscardedToItsEnd()
    {
        const QByteArray huge(ImapCommandReader::kMaxLine + 10, 'x');
        QCOMPARE(run({"a1 " + huge.left(1000), huge, "tail\r\na2 NOOP\r\n"}),
                 (QStringList{u"too-long:a1"_s, u"command:a2 NOOP"_s}));
    }

    void everySplitGivesTheSameCommand()
    {
        const QByteArray stream = "t1 APPEND INBOX (\\Seen) {11+}\r\nhello\r\nworld\r\nt2 NOOP\r\n";
        const QStringList expected = run({stream});
        QCOMPARE(expected.size(), 2);
        for (qsizetype split = 1; split < stream.size(); ++split)
            QCOMPARE(run({stream.left(split), stream.mid(split)}), expected);
    }
};

QTEST_GUILESS_MAIN(TestImapCommandReader)
#include "tst_imapcommandreader.moc"
