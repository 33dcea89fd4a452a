// IMAP tokens (RFC 9051 §9): tags, atoms, quoted strings, literals, sequence sets, flag lists.
#include "protocols/imap/imapparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestImapParser : public QObject
{
    Q_OBJECT

private:
    static QString describe(const SequenceSet& set)
    {
        QStringList parts;
        for (const SequenceRange& range : set)
        {
            const auto text = [](quint32 n)
            {
                return n == SequenceRange::kStar ? u"*"_s : n == SequenceRange::kSaved ? u"$"_s : QString::number(n);
            };
            parts.append(range.first == range.last ? text(range.first) : text(range.first) + u':' + text(range.last));
        }
        return parts.join(u',');
    }

private Q_SLOTS:
    void astring_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("error"); // "" when it parses
        QTest::newRow("atom") << "alice@example.org rest"_ba
                              << "alice@example.org"_ba << QString();
        QTest::newRow("quoted") << "\"a b\\\"c\\\\\""_ba
                                << "a b\"c\\"_ba << QString();
        QTest::newRow("literal") << "{5}\r\nab\r\nc"_ba
                                 << "ab\r\nc"_ba << QString();
        QTest::newRow("non-sync literal") << "{3+}\r\nxyz"_ba
                                          << "xyz"_ba << QString();
        QTest::newRow("empty quoted") << "\"\""_ba
                                      << ""_ba << QString();
        QTest::newRow("resp-special allowed") << "a]b"_ba
                                              << "a]b"_ba << QString();
        QTest::newRow("unterminated") << "\"abc"_ba << QByteArray() << u"unterminated quoted string"_s;
        QTest::newRow("bad escape") << "\"a\\b\""_ba << QByteArray()
                                    << u"only \\\" and \\\\ may be escaped in a quoted string"_s;
        QTest::newRow("short literal") << "{9}\r\nabc"_ba << QByteArray() << u"literal shorter than announced"_s;
        QTest::newRow("paren") << "(x)"_ba << QByteArray() << u"expected an astring"_s;
    }

    void astring()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, value);
        QFETCH(QString, error);
        ImapParser parser(input);
        const QByteArray parsed = parser.astring();
        QCOMPARE(parser.ok(), error.isEmpty());
        if (error.isEmpty())
            QCOMPARE(parsed, value);
        else
            QCOMPARE(parser.error(), error);
    }

    void sequenceSet_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one") << "1"_ba << u"1"_s;
        QTest::newRow("range") << "2:4"_ba << u"2:4"_s;
        QTest::newRow("star") << "1:*"_ba << u"1:*"_s;
        QTest::newRow("list") << "1,3:5,7,9:*"_ba << u"1,3:5,7,9:*"_s;
        QTest::newRow("reversed kept") << "5:2"_ba << u"5:2"_s; // RFC 9051 §9: 5:2 means 2:5; the executor orders it
        QTest::newRow("max") << "4294967295"_ba << u"*"_s;
        QTest::newRow("zero") << "0"_ba << u"error: 0 is not a message number"_s;
        QTest::newRow("too big") << "4294967296"_ba << u"error: number out of range"_s;
        QTest::newRow("empty") << ""_ba << u"error: expected a number"_s;
        QTest::newRow("dangling comma") << "1,"_ba << u"error: expected a number"_s;
        // RFC 5182 §4: "$" is the saved search result and stands alone.
        QTest::newRow("saved result") << "$"_ba << u"$"_s;
        QTest::newRow("saved result ends the set") << "$,1"_ba << u"$"_s;
        QTest::newRow("saved result not in a list") << "1,$"_ba << u"error: expected a number"_s;
    }

    void sequenceSet()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        ImapParser parser(input);
        const SequenceSet set = parser.sequenceSet();
        QCOMPARE(parser.ok() ? describe(set) : u"error: "_s + parser.error(), expected);
    }

    void commandShape()
    {
        ImapParser parser("a001 STORE 1:3 +FLAGS (\\Seen \\Deleted $Junk)"_ba);
        QCOMPARE(parser.tag(), "a001"_ba);
        parser.space();
        QCOMPARE(parser.atom(), "STORE"_ba);
        parser.space();
        QCOMPARE(describe(parser.sequenceSet()), u"1:3"_s);
        parser.space();
        QCOMPARE(parser.atom(), "+FLAGS"_ba);
        parser.space();
        QCOMPARE(parser.flagList(), (QList<QByteArray>{"\\Seen"_ba, "\\Deleted"_ba, "$Junk"_ba}));
        parser.end();
        QVERIFY(parser.ok());
    }

    void mailboxNames()
    {
        ImapParser inbox("inBoX"_ba);
        QCOMPARE(inbox.mailboxName(), "INBOX"_ba);
        ImapParser other("\"Sent Items\""_ba);
        QCOMPARE(other.mailboxName(), "Sent Items"_ba);
        ImapParser nil("NIL"_ba);
        QCOMPARE(nil.nstring(), std::nullopt);
        ImapParser tagWithPlus("a+1 NOOP"_ba);
        QCOMPARE(tagWithPlus.tag(), "a"_ba);
    }

    void modseq()
    {
        // RFC 7162 §7 mod-sequence-valzer, up to 18 digits here.
        ImapParser zero("0"_ba);
        QCOMPARE(zero.modseq(), 0);
        QVERIFY(zero.ok());
        ImapParser large("999999999999999999"_ba);
        QCOMPARE(large.modseq(), 999999999999999999LL);
        QVERIFY(large.ok());
        ImapParser word("x"_ba);
        word.modseq();
        QCOMPARE(word.error(), u"expected a number"_s);
    }
};

QTEST_GUILESS_MAIN(TestImapParser)
#include "tst_imapparser.moc"
