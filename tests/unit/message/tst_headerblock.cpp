// message/headerblock.h: the header section of RFC 5322 messages, split into fields with exact
// byte positions, tolerant of LF line ends, strict about sizes.
#include "message/headerblock.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// "name|value" per field, so a row reads like the header it describes.
QByteArrayList described(const HeaderBlock& block)
{
    QByteArrayList lines;
    for (const HeaderField& field : block.fields())
        lines.append(field.name + '|' + field.value);
    return lines;
}

// The input bytes each field claims, so offsets and lengths are checked against the message.
QByteArrayList slices(const QByteArray& message, const HeaderBlock& block)
{
    QByteArrayList parts;
    for (const HeaderField& field : block.fields())
        parts.append(message.mid(field.offset, field.length));
    return parts;
}

QByteArray fieldLines(int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += "X-" + QByteArray::number(i) + ": v\r\n";
    return lines;
}

} // namespace

class TestHeaderBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void lookup();
    void fieldCountLimit();
    void fieldLengthLimit_data();
    void fieldLengthLimit();
};

void TestHeaderBlock::parse_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArrayList>("fields");
    QTest::addColumn<QByteArrayList>("slices");
    QTest::addColumn<int>("bodyOffset");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("complete");
    QTest::addColumn<bool>("valid");

    QTest::newRow("crlf") << "From: a@x\r\nTo: b@y\r\n\r\nbody"_ba << QByteArrayList{"From|a@x", "To|b@y"}
                          << QByteArrayList{"From: a@x\r\n", "To: b@y\r\n"} << 22 << "body"_ba << true << true;
    QTest::newRow("lf") << "From: a@x\nTo: b@y\n\nbody"_ba << QByteArrayList{"From|a@x", "To|b@y"}
                        << QByteArrayList{"From: a@x\n", "To: b@y\n"} << 19 << "body"_ba << true << true;
    QTest::newRow("folded crlf") << "Subject: hello\r\n world\r\n\tagain\r\nX: y\r\n\r\nB"_ba
                                 << QByteArrayList{"Subject|hello world\tagain", "X|y"}
                                 << QByteArrayList{"Subject: hello\r\n world\r\n\tagain\r\n", "X: y\r\n"} << 40
                                 << "B"_ba << true << true;
    QTest::newRow("folded lf") << "Subject: hello\n world\nX: y\n\nB"_ba << QByteArrayList{"Subject|hello world", "X|y"}
                               << QByteArrayList{"Subject: hello\n world\n", "X: y\n"} << 28 << "B"_ba << true << true;
    QTest::newRow("folding keeps every wsp") << "A: a\r\n   b\r\n\r\n"_ba << QByteArrayList{"A|a   b"}
                                             << QByteArrayList{"A: a\r\n   b\r\n"} << 14 << ""_ba << true << true;
    QTest::newRow("value on next line") << "Subject:\r\n  hi there\r\n\r\n"_ba << QByteArrayList{"Subject|hi there"}
                                        << QByteArrayList{"Subject:\r\n  hi there\r\n"} << 24 << ""_ba << true << true;
    QTest::newRow("no space after colon")
        << "X-A:b\r\n\r\n"_ba << QByteArrayList{"X-A|b"} << QByteArrayList{"X-A:b\r\n"} << 9 << ""_ba << true << true;
    QTest::newRow("trailing wsp kept") << "X: a \t\r\n\r\n"_ba << QByteArrayList{"X|a \t"}
                                       << QByteArrayList{"X: a \t\r\n"} << 10 << ""_ba << true << true;
    QTest::newRow("obs wsp before colon") << "Subject \t: x\r\n\r\n"_ba << QByteArrayList{"Subject|x"}
                                          << QByteArrayList{"Subject \t: x\r\n"} << 16 << ""_ba << true << true;
    QTest::newRow("empty value") << "X-Empty:\r\nY: 1\r\n\r\n"_ba << QByteArrayList{"X-Empty|", "Y|1"}
                                 << QByteArrayList{"X-Empty:\r\n", "Y: 1\r\n"} << 18 << ""_ba << true << true;
    QTest::newRow("8-bit value kept") << "Subject: Gr\xc3\xbc\xc3\x9f\xc3\xa9\r\n\r\n"_ba
                                      << QByteArrayList{"Subject|Gr\xc3\xbc\xc3\x9f\xc3\xa9"}
                                      << QByteArrayList{"Subject: Gr\xc3\xbc\xc3\x9f\xc3\xa9\r\n"} << 21 << ""_ba
                                      << true << true;
    QTest::newRow("bare cr kept") << "A: x\ry\r\n\r\n"_ba << QByteArrayList{"A|x\ry"} << QByteArrayList{"A: x\ry\r\n"}
                                  << 10 << ""_ba << true << true;
    QTest::newRow("nul kept") << QByteArray("A: x\0y\r\n\r\n", 10) << QByteArrayList{QByteArray("A|x\0y", 5)}
                              << QByteArrayList{QByteArray("A: x\0y\r\n", 8)} << 10 << ""_ba << true << true;
    QTest::newRow("whitespace-only line folds")
        << "A: 1\r\n \r\nB: 2\r\n\r\n"_ba << QByteArrayList{"A|1 ", "B|2"}
        << QByteArrayList{"A: 1\r\n \r\n", "B: 2\r\n"} << 17 << ""_ba << true << true;
    QTest::newRow("mixed line ends") << "A: 1\nB: 2\r\n\nbody"_ba << QByteArrayList{"A|1", "B|2"}
                                     << QByteArrayList{"A: 1\n", "B: 2\r\n"} << 12 << "body"_ba << true << true;
    QTest::newRow("body not parsed") << "A: 1\r\n\r\nB: 2\r\n"_ba << QByteArrayList{"A|1"} << QByteArrayList{"A: 1\r\n"}
                                     << 8 << "B: 2\r\n"_ba << true << true;
    QTest::newRow("blank line only") << "\r\nbody"_ba << QByteArrayList{} << QByteArrayList{} << 2 << "body"_ba << true
                                     << true;
    QTest::newRow("lf blank line only") << "\nbody"_ba << QByteArrayList{} << QByteArrayList{} << 1 << "body"_ba << true
                                        << true;
    QTest::newRow("empty message") << ""_ba << QByteArrayList{} << QByteArrayList{} << 0 << ""_ba << false << true;
    QTest::newRow("missing empty line") << "From: a@x\r\nTo: b@y\r\n"_ba << QByteArrayList{"From|a@x", "To|b@y"}
                                        << QByteArrayList{"From: a@x\r\n", "To: b@y\r\n"} << 20 << ""_ba << false
                                        << true;
    QTest::newRow("no final line end") << "From: a@x\r\nTo: b@y"_ba << QByteArrayList{"From|a@x", "To|b@y"}
                                       << QByteArrayList{"From: a@x\r\n", "To: b@y"} << 18 << ""_ba << false << true;
    QTest::newRow("cut inside line break")
        << "A: 1\r\n\r"_ba << QByteArrayList{"A|1"} << QByteArrayList{"A: 1\r\n"} << 7 << ""_ba << false << true;
    QTest::newRow("garbage line before blank")
        << "From: a@x\r\nthis is not a header\r\nTo: b@y\r\n\r\nbody"_ba << QByteArrayList{"From|a@x"}
        << QByteArrayList{"From: a@x\r\n"} << 11 << "this is not a header\r\nTo: b@y\r\n\r\nbody"_ba << false << false;
    QTest::newRow("continuation first") << " folded\r\nFrom: a@x\r\n\r\n"_ba << QByteArrayList{} << QByteArrayList{}
                                        << 0 << " folded\r\nFrom: a@x\r\n\r\n"_ba << false << false;
    QTest::newRow("mbox from line") << "From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: a@x\n\n"_ba
                                    << QByteArrayList{} << QByteArrayList{} << 0
                                    << "From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: a@x\n\n"_ba << false
                                    << false;
    QTest::newRow("8-bit name") << "A: 1\r\nSubj\xc3\xa9\x63t: x\r\n\r\n"_ba << QByteArrayList{"A|1"}
                                << QByteArrayList{"A: 1\r\n"} << 6 << "Subj\xc3\xa9\x63t: x\r\n\r\n"_ba << false
                                << false;
    QTest::newRow("empty name") << ": x\r\n\r\n"_ba << QByteArrayList{} << QByteArrayList{} << 0 << ": x\r\n\r\n"_ba
                                << false << false;
}

void TestHeaderBlock::parse()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArrayList, fields);
    QFETCH(QByteArrayList, slices);
    QFETCH(int, bodyOffset);
    QFETCH(QByteArray, body);
    QFETCH(bool, complete);
    QFETCH(bool, valid);

    const HeaderBlock block = HeaderBlock::parse(message);
    QCOMPARE(described(block), fields);
    QCOMPARE(::slices(message, block), slices);
    QCOMPARE(block.bodyOffset(), qsizetype(bodyOffset));
    QCOMPARE(message.mid(block.bodyOffset()), body);
    QCOMPARE(block.isComplete(), complete);
    QCOMPARE(block.isValid(), valid);
}

void TestHeaderBlock::lookup()
{
    const HeaderBlock block = HeaderBlock::parse(
        "Received: from a\r\nreceived: from b\r\nRECEIVED: from c\r\nSubject: s\r\nX-Empty:\r\n\r\nbody"_ba);
    QVERIFY(block.isValid());
    QCOMPARE(block.fields().size(), 5);
    QCOMPARE(block.fields().at(1).name, "received"_ba); // names stay as written
    QCOMPARE(block.values("Received"), (QByteArrayList{"from a", "from b", "from c"}));
    QCOMPARE(block.value("rEcEiVeD"), "from a"_ba);
    QCOMPARE(block.value("SUBJECT"), "s"_ba);
    QVERIFY(block.contains("subject"));
    QVERIFY(block.contains("x-empty"));
    QCOMPARE(block.value("X-Empty"), ""_ba);
    QVERIFY(!block.contains("From"));
    QVERIFY(!block.contains("Subj")); // no prefix matches
    QVERIFY(block.value("From").isEmpty());
    QVERIFY(block.values("From").isEmpty());
}

void TestHeaderBlock::fieldCountLimit()
{
    const HeaderBlock atLimit = HeaderBlock::parse(QByteArray(fieldLines(1000) + "\r\nbody"));
    QVERIFY(atLimit.isValid());
    QVERIFY(atLimit.isComplete());
    QCOMPARE(atLimit.fields().size(), 1000);
    QCOMPARE(atLimit.fields().last().name, "X-999"_ba);

    const QByteArray tooMany = fieldLines(1001) + "\r\nbody"_ba;
    const HeaderBlock over = HeaderBlock::parse(tooMany);
    QVERIFY(!over.isValid());
    QVERIFY(!over.isComplete());
    QCOMPARE(over.fields().size(), 1000);
    QCOMPARE(tooMany.mid(over.bodyOffset()), "X-1000: v\r\n\r\nbody"_ba);
}

void TestHeaderBlock::fieldLengthLimit_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("fieldCount");
    QTest::addColumn<int>("lastValueSize");
    QTest::addColumn<int>("bodyOffset");

    const QByteArray from = "From: a@x\r\n"_ba; // 11 bytes
    // The limit counts the unfolded field: name, colon and value, without removed line breaks.
    QTest::newRow("one line at limit") << QByteArray(from + "A: " + QByteArray(65533, 'x') + "\r\n\r\n") << true << 2
                                       << 65533 << 11 + 65538 + 2;
    QTest::newRow("one line over limit") << QByteArray(from + "A: " + QByteArray(65534, 'x') + "\r\n\r\n") << false << 1
                                         << 3 << 11;
    QTest::newRow("70 KiB line") << QByteArray(from + "Subject: " + QByteArray(70 * 1024, 'x') + "\r\n\r\n") << false
                                 << 1 << 3 << 11;
    const QByteArray line = QByteArray(" ") + QByteArray(32766, 'x'); // 32767 bytes of content
    QTest::newRow("folded at limit") << QByteArray(from + "A:\r\n" + line + "\r\n" + line + "\r\n\r\n") << true << 2
                                     << 65533 << 11 + 4 + 2 * 32769 + 2;
    QTest::newRow("folded over limit") << QByteArray(from + "A:\r\n" + line + "\r\n" + line + "x\r\n\r\n") << false << 1
                                       << 3 << 11;
    QByteArray folded = from + "Subject: start";
    for (int i = 0; i < 1000; ++i)
        folded += "\r\n " + QByteArray(72, 'y'); // 73 KiB unfolded
    QTest::newRow("70 KiB folded") << QByteArray(folded + "\r\n\r\n") << false << 1 << 3 << 11;
}

void TestHeaderBlock::fieldLengthLimit()
{
    QFETCH(QByteArray, message);
    QFETCH(bool, valid);
    QFETCH(int, fieldCount);
    QFETCH(int, lastValueSize);
    QFETCH(int, bodyOffset);

    const HeaderBlock block = HeaderBlock::parse(message);
    QCOMPARE(block.isValid(), valid);
    QCOMPARE(block.isComplete(), valid);
    QCOMPARE(block.fields().size(), fieldCount);
    QCOMPARE(block.fields().last().value.size(), qsizetype(lastValueSize));
    QCOMPARE(block.bodyOffset(), qsizetype(bodyOffset));
}

QTEST_APPLESS_MAIN(TestHeaderBlock)

#include "tst_headerblock.moc"
