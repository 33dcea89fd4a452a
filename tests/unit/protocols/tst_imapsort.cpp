// SORT (RFC 5256): base subject extraction (§2.1), the sort criteria (§3) and the ordering of
// messages by them, ties in sequence number order.
#include "message/basesubject.h"
#include "message/headerblock.h"
#include "protocols/imap/imapsort.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
QString describe(const QList<ImapSort::Criterion>& criteria)
{
    static const char* const kNames[] = {"ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO"};
    QStringList parts;
    for (const ImapSort::Criterion& c : criteria)
        parts.append((c.reverse ? u"-"_s : QString()) + QString::fromLatin1(kNames[int(c.key)]));
    return parts.join(u' ');
}
} // namespace

class TestImapSort : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void baseSubject_data()
    {
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("replyOrForward");
        QTest::newRow("plain") << u"hello"_s << u"hello"_s << false;
        QTest::newRow("re") << u"Re: hello"_s << u"hello"_s << true;
        QTest::newRow("repeated leaders") << u"RE: Re: re:hello"_s << u"hello"_s << true;
        QTest::newRow("fw and fwd") << u"Fw: Fwd:a"_s << u"a"_s << true;
        QTest::newRow("blob before re") << u"[list] Re: topic"_s << u"topic"_s << true;
        QTest::newRow("blob inside re") << u"Re [2]: topic"_s << u"topic"_s << true;
        QTest::newRow("blob alone is removed") << u"[list] topic"_s << u"topic"_s << false;
        QTest::newRow("blob kept when nothing else") << u"[list]"_s << u"[list]"_s << false;
        QTest::newRow("fwd trailer") << u"topic (fwd) (FWD)"_s << u"topic"_s << true;
        QTest::newRow("fwd wrapper") << u"[Fwd: Re: topic]"_s << u"topic"_s << true;
        QTest::newRow("wrapper then trailer") << u"Re: [fwd: topic (fwd)]"_s << u"topic"_s << true;
        QTest::newRow("white space") << u"  spaced \t  out  "_s << u"spaced out"_s << false;
        QTest::newRow("not a leader") << u"Reply: x"_s << u"Reply: x"_s << false;
        QTest::newRow("only a leader") << u"Re:"_s << u""_s << true;
        QTest::newRow("empty") << u""_s << u""_s << false;
        QTest::newRow("non-ascii kept") << u"AW: Grüße"_s << u"AW: Grüße"_s << false;
    }

    void baseSubject()
    {
        QFETCH(QString, subject);
        QFETCH(QString, base);
        QFETCH(bool, replyOrForward);
        const BaseSubject extracted = BaseSubject::extract(subject);
        QCOMPARE(extracted.text, base);
        QCOMPARE(extracted.replyOrForward, replyOrForward);
    }

    void criteria_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("rfc 5256 example") << "(SUBJECT)"_ba << u"SUBJECT"_s;
        QTest::newRow("reverse") << "(REVERSE DATE from)"_ba << u"-DATE FROM"_s;
        QTest::newRow("every key") << "(ARRIVAL CC DATE FROM SIZE SUBJECT TO)"_ba
                                   << u"ARRIVAL CC DATE FROM SIZE SUBJECT TO"_s;
        QTest::newRow("empty") << "()"_ba << u"error: expected an atom"_s;
        QTest::newRow("unknown") << "(COLOR)"_ba << u"error: unknown sort key COLOR"_s;
        QTest::newRow("reverse alone") << "(REVERSE)"_ba << u"error: expected \" \""_s;
        QTest::newRow("no parentheses") << "SUBJECT"_ba << u"error: expected \"(\""_s;
        QTest::newRow("unclosed") << "(SIZE"_ba << u"error: expected \")\""_s;
    }

    void criteria()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        ImapParser parser(input);
        const QList<ImapSort::Criterion> parsed = ImapSort::parseCriteria(parser);
        QCOMPARE(parser.ok() ? describe(parsed) : u"error: "_s + parser.error(), expected);
    }

    void record()
    {
        SnapshotMessage message;
        message.internalDate = 1000;
        message.size = 42;
        const HeaderBlock header = HeaderBlock::parse(
            "From: \"Zed\" <alice@example.org>\r\nTo: Bob <bob@x>, carol@y\r\nSubject: Re: =?UTF-8?Q?gr=C3=BC=C3=9Fe?= "
            "(fwd)\r\nDate: Thu, 01 Jan 1970 01:00:00 +0100\r\n\r\n"_ba);
        const ImapSort::Record record = ImapSort::Record::of(message, 3, &header);
        QCOMPARE(record.index, 3);
        QCOMPARE(record.from, "ALICE"_ba);
        QCOMPARE(record.to, "BOB"_ba);
        QCOMPARE(record.cc, ""_ba);
        QCOMPARE(record.subject, "GRüßE"_ba);
        QCOMPARE(record.sent, 0); // 01:00 +0100 is the epoch
        // RFC 5256 §2.2: no usable Date: means the internal date.
        const HeaderBlock undated = HeaderBlock::parse("Date: yesterday\r\n\r\n"_ba);
        QCOMPARE(ImapSort::Record::of(message, 0, &undated).sent, 1000);
        QCOMPARE(ImapSort::Record::of(message, 0, nullptr).sent, 1000);
    }

    void sort_data()
    {
        QTest::addColumn<QByteArray>("criteria");
        QTest::addColumn<QList<qsizetype>>("order"); // indexes
        QTest::newRow("arrival") << "(ARRIVAL)"_ba << QList<qsizetype>{2, 0, 1, 3};
        QTest::newRow("reverse arrival") << "(REVERSE ARRIVAL)"_ba << QList<qsizetype>{3, 1, 0, 2};
        QTest::newRow("size, ties by number") << "(SIZE)"_ba << QList<qsizetype>{1, 3, 0, 2};
        QTest::newRow("reverse size keeps ties in order") << "(REVERSE SIZE)"_ba << QList<qsizetype>{0, 2, 1, 3};
        QTest::newRow("subject then date") << "(SUBJECT DATE)"_ba << QList<qsizetype>{2, 3, 0, 1};
        QTest::newRow("subject then reverse date") << "(SUBJECT REVERSE DATE)"_ba << QList<qsizetype>{0, 3, 2, 1};
        QTest::newRow("from, empty first") << "(FROM)"_ba << QList<qsizetype>{3, 0, 1, 2};
        QTest::newRow("cc then to") << "(CC TO)"_ba << QList<qsizetype>{1, 2, 3, 0};
        QTest::newRow("date") << "(DATE)"_ba << QList<qsizetype>{2, 3, 1, 0};
    }

    void sort()
    {
        QFETCH(QByteArray, criteria);
        QFETCH(QList<qsizetype>, order);
        const auto make = [](qsizetype index, qint64 arrival, qint64 size, qint64 sent, QByteArray from, QByteArray to,
                             QByteArray cc, QByteArray subject)
        {
            ImapSort::Record r;
            r.index = index;
            r.arrival = arrival;
            r.size = size;
            r.sent = sent;
            r.from = from;
            r.to = to;
            r.cc = cc;
            r.subject = subject;
            return r;
        };
        QList<ImapSort::Record> records{
            make(0, 20, 300, 400, "ALICE", "ZED", "", "B"),
            make(1, 30, 100, 300, "BOB", "AL", "", "C"),
            make(2, 10, 300, 100, "CAROL", "AL", "", "B"),
            make(3, 40, 100, 200, "", "AL", "", "B"),
        };
        ImapParser parser(criteria);
        const QList<ImapSort::Criterion> parsed = ImapSort::parseCriteria(parser);
        QVERIFY(parser.ok());
        ImapSort::sort(records, parsed);
        QList<qsizetype> indexes;
        for (const ImapSort::Record& r : records)
            indexes.append(r.index);
        QCOMPARE(indexes, order);
    }
};

QTEST_GUILESS_MAIN(TestImapSort)
#include "tst_imapsort.moc"
