// message/mimeparser.h: the MIME tree of a message (RFC 2045, RFC 2046) with exact byte offsets,
// lenient about broken boundaries, bounded in depth and part count.
#include "message/mimeparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// One line per part: depth, media type, the header and body bytes its offsets point at, lines.
QByteArrayList described(const QByteArray& message, const MimeTree& tree)
{
    QByteArrayList lines;
    for (const MimePart& part : tree.parts())
    {
        QByteArray line =
            'd' + QByteArray::number(part.depth) + ' ' + part.contentType.type + '/' + part.contentType.subtype;
        if (part.degraded)
            line += " degraded";
        line += " H[" + message.mid(part.headerOffset, part.headerLength) + "] B[" +
                message.mid(part.bodyOffset, part.bodyLength) + "] L" + QByteArray::number(part.lines);
        lines.append(line);
    }
    return lines;
}

QByteArray nestedMultiparts(int depth)
{
    QByteArray message;
    for (int i = 0; i < depth; ++i)
        message += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\r\n\r\n--b" +
                   QByteArray::number(i) + "\r\n";
    return message + "\r\nleaf\r\n";
}

QByteArray nestedMessages(int depth)
{
    QByteArray message;
    for (int i = 0; i < depth; ++i)
        message += "Subject: " + QByteArray::number(i) + "\r\nContent-Type: message/rfc822\r\n\r\n";
    return message + "Subject: last\r\n\r\nleaf\r\n";
}

} // namespace

class TestMimeParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tree_data();
    void tree();
    void fields();
    void depthLimit_data();
    void depthLimit();
    void partLimit();
    void partForSection_data();
    void partForSection();
};

void TestMimeParser::tree_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArrayList>("parts");

    QTest::newRow("single part") << "Subject: x\r\n\r\nhello\r\nworld\r\n"_ba
                                 << QByteArrayList{"d0 text/plain H[Subject: x\r\n\r\n] B[hello\r\nworld\r\n] L2"};
    QTest::newRow("unterminated last line")
        << "Subject: x\r\n\r\nno newline"_ba << QByteArrayList{"d0 text/plain H[Subject: x\r\n\r\n] B[no newline] L0"};
    QTest::newRow("empty message") << ""_ba << QByteArrayList{"d0 text/plain H[] B[] L0"};
    QTest::newRow("header only") << "Subject: x\r\n"_ba << QByteArrayList{"d0 text/plain H[Subject: x\r\n] B[] L0"};
    QTest::newRow("body only") << "\r\nbody\r\n"_ba << QByteArrayList{"d0 text/plain H[\r\n] B[body\r\n] L1"};
    QTest::newRow("type case folded") << "Content-Type: Image/GIF\r\n\r\nGIF89a"_ba
                                      << QByteArrayList{"d0 image/gif H[Content-Type: Image/GIF\r\n\r\n] B[GIF89a] L0"};
    QTest::newRow("first content-type wins")
        << "content-type: text/html\r\nContent-Type: image/png\r\n\r\n<p>"_ba
        << QByteArrayList{"d0 text/html H[content-type: text/html\r\nContent-Type: image/png\r\n\r\n] B[<p>] L0"};

    // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to it; preamble and epilogue to no part.
    QTest::newRow("multipart") << "Content-Type: multipart/mixed; boundary=b\r\n\r\npreamble\r\n--b\r\nX: 1\r\n\r\n"
                                  "one\r\n--b\r\n\r\ntwo\r\n\r\n--b--\r\nepilogue\r\n"_ba
                               << QByteArrayList{
                                      "d0 multipart/mixed H[Content-Type: multipart/mixed; boundary=b\r\n\r\n] "
                                      "B[preamble\r\n--b\r\nX: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n\r\n--b--\r\n"
                                      "epilogue\r\n] L11",
                                      "d1 text/plain H[X: 1\r\n\r\n] B[one] L0", "d1 text/plain H[\r\n] B[two\r\n] L1"};
    // The folded parameter value keeps its white space once unfolded (RFC 5322 §2.2.3).
    QTest::newRow("folded boundary") << "Content-Type: multipart/mixed; boundary=\"foo\r\n bar\"\r\n\r\n--foo bar\r\n"
                                        "\r\na\r\n--foo bar--"_ba
                                     << QByteArrayList{"d0 multipart/mixed H[Content-Type: multipart/mixed; "
                                                       "boundary=\"foo\r\n bar\"\r\n\r\n] B[--foo bar\r\n\r\na\r\n"
                                                       "--foo bar--] L3",
                                                       "d1 text/plain H[\r\n] B[a] L0"};
    QTest::newRow("transport padding and lookalikes")
        << "Content-Type: multipart/mixed; boundary=b\r\n\r\n--bb\r\n--b \t\r\n\r\n x--b\r\n--b-\r\n--b--junk\r\n"_ba
        << QByteArrayList{"d0 multipart/mixed H[Content-Type: multipart/mixed; boundary=b\r\n\r\n] "
                          "B[--bb\r\n--b \t\r\n\r\n x--b\r\n--b-\r\n--b--junk\r\n] L6",
                          "d1 text/plain H[\r\n] B[ x--b\r\n--b-] L1"};
    QTest::newRow("empty parts") << "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n--b\r\n\r\n--b"_ba
                                 << QByteArrayList{
                                        "d0 multipart/mixed H[Content-Type: multipart/mixed; boundary=b\r\n\r\n] "
                                        "B[--b\r\n--b\r\n\r\n--b] L3",
                                        "d1 text/plain H[] B[] L0", "d1 text/plain H[] B[] L0",
                                        "d1 text/plain H[] B[] L0"};
    QTest::newRow("lf line ends") << "Content-Type: multipart/mixed; boundary=b\n\n--b\nA: b\n\nx\n\n--b--\n"_ba
                                  << QByteArrayList{
                                         "d0 multipart/mixed H[Content-Type: multipart/mixed; boundary=b\n\n] "
                                         "B[--b\nA: b\n\nx\n\n--b--\n] L6",
                                         "d1 text/plain H[A: b\n\n] B[x\n] L1"};
    // A part whose first line is not a header field: all of it is body.
    QTest::newRow("part without header")
        << "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\njust text\r\n--b--"_ba
        << QByteArrayList{"d0 multipart/mixed H[Content-Type: multipart/mixed; "
                          "boundary=b\r\n\r\n] B[--b\r\njust text\r\n--b--] L2",
                          "d1 text/plain H[] B[just text] L0"};
    // The inner multipart lacks its closing delimiter: it ends where the outer part ends.
    QTest::newRow("inner not closed")
        << "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i\r\n"
           "\r\n--i\r\n\r\na\r\n--o\r\n\r\nb\r\n--o--\r\n"_ba
        << QByteArrayList{"d0 multipart/mixed H[Content-Type: multipart/mixed; boundary=o\r\n\r\n] "
                          "B[--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n\r\na\r\n--o\r\n\r\n"
                          "b\r\n--o--\r\n] L10",
                          "d1 multipart/alternative H[Content-Type: multipart/alternative; boundary=i\r\n\r\n] "
                          "B[--i\r\n\r\na] L2",
                          "d2 text/plain H[\r\n] B[a] L0", "d1 text/plain H[\r\n] B[b] L0"};
    QTest::newRow("message/rfc822")
        << "Content-Type: message/rfc822\r\n\r\nSubject: in\r\nContent-Type: text/html\r\n\r\n<p>\r\n"_ba
        << QByteArrayList{"d0 message/rfc822 H[Content-Type: message/rfc822\r\n\r\n] B[Subject: in\r\nContent-Type: "
                          "text/html\r\n\r\n<p>\r\n] L4",
                          "d1 text/html H[Subject: in\r\nContent-Type: text/html\r\n\r\n] B[<p>\r\n] L1"};
    QTest::newRow("message/global") << "Content-Type: message/global\r\n\r\nSubject: \xc3\xa9\r\n\r\nx"_ba
                                    << QByteArrayList{"d0 message/global H[Content-Type: message/global\r\n\r\n] "
                                                      "B[Subject: \xc3\xa9\r\n\r\nx] L2",
                                                      "d1 text/plain H[Subject: \xc3\xa9\r\n\r\n] B[x] L0"};
    // RFC 2046 §5.1.5: in a digest, parts are messages unless they say otherwise.
    QTest::newRow("digest") << "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: a\r\n\r\nA\r\n"
                               "--d\r\nContent-Type: text/plain\r\n\r\nB\r\n--d--"_ba
                            << QByteArrayList{
                                   "d0 multipart/digest H[Content-Type: multipart/digest; boundary=d\r\n\r\n] "
                                   "B[--d\r\n\r\nSubject: a\r\n\r\nA\r\n--d\r\nContent-Type: text/plain\r\n"
                                   "\r\nB\r\n--d--] L9",
                                   "d1 message/rfc822 H[\r\n] B[Subject: a\r\n\r\nA] L2",
                                   "d2 text/plain H[Subject: a\r\n\r\n] B[A] L0",
                                   "d1 text/plain H[Content-Type: text/plain\r\n\r\n] B[B] L0"};

    // What cannot be read as a container is a text/plain leaf.
    QTest::newRow("no boundary parameter")
        << "Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n"_ba
        << QByteArrayList{
               "d0 text/plain degraded H[Content-Type: multipart/mixed\r\n\r\n] B[--b\r\n\r\nx\r\n--b--\r\n] L4"};
    QTest::newRow("boundary never used") << "Content-Type: multipart/mixed; boundary=b\r\n\r\nplain text\r\n"_ba
                                         << QByteArrayList{"d0 text/plain degraded H[Content-Type: multipart/mixed; "
                                                           "boundary=b\r\n\r\n] B[plain text\r\n] L1"};
    QTest::newRow("only a closing delimiter")
        << "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n"_ba
        << QByteArrayList{"d0 text/plain degraded H[Content-Type: multipart/mixed; "
                          "boundary=b\r\n\r\n] B[--b--\r\n] L1"};
    QTest::newRow("empty boundary") << "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n"_ba
                                    << QByteArrayList{"d0 text/plain degraded H[Content-Type: multipart/mixed; "
                                                      "boundary=\"\"\r\n\r\n] B[--\r\n\r\nx\r\n] L3"};
    // RFC 2046 §5.2.1 forbids encoding message/rfc822; such a part is opaque data.
    QTest::newRow("base64 message") << "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                                       "U3ViamVjdDogeA0KDQp4\r\n"_ba
                                    << QByteArrayList{"d0 application/octet-stream degraded H[Content-Type: "
                                                      "message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n] "
                                                      "B[U3ViamVjdDogeA0KDQp4\r\n] L1"};
}

void TestMimeParser::tree()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArrayList, parts);

    const MimeTree tree = MimeParser::parse(message);
    QCOMPARE(described(message, tree), parts);
    QVERIFY(!tree.isTruncated());
    for (const MimePart& part : tree.parts())
        QCOMPARE(part.headerOffset + part.headerLength, part.bodyOffset);
}

void TestMimeParser::fields()
{
    const QByteArray message = "Content-Type: multipart/mixed; boundary=b\r\n"
                               "Content-Language: en\r\n\r\n"
                               "--b\r\n"
                               "Content-Type: text/plain; charset=\"ISO-8859-1\"\r\n"
                               "Content-Transfer-Encoding: Quoted-Printable (comment)\r\n"
                               "Content-ID:  <id@x> \r\n"
                               "Content-Description: =?utf-8?q?caf=C3=A9?=\r\n"
                               "Content-Disposition: attachment; filename=a.txt\r\n"
                               "Content-Language: en-GB, (x) cy\r\n"
                               "Content-Location: http://example.org/a\r\n"
                               "Content-MD5: Q2hlY2s=\r\n"
                               "Content-Description: second one is ignored\r\n\r\n"
                               "x\r\n"
                               "--b\r\n"
                               "Content-Transfer-Encoding: 8 bit\r\n"
                               "Content-ID:\r\n\r\n"
                               "y\r\n"
                               "--b--\r\n"_ba;
    const MimeTree tree = MimeParser::parse(message);
    QCOMPARE(tree.parts().size(), 3);

    const MimePart& root = tree.root();
    QCOMPARE(root.kind, MimePart::Kind::Multipart);
    QCOMPARE(root.children, (QList<int>{1, 2}));
    QCOMPARE(root.languages, QByteArrayList{"en"});
    QCOMPARE(root.transferEncoding, "7bit"_ba);

    const MimePart& first = tree.part(1);
    QCOMPARE(first.kind, MimePart::Kind::Leaf);
    QCOMPARE(first.parent, 0);
    QCOMPARE(first.contentType.parameters.value("charset"), u"ISO-8859-1"_s);
    QCOMPARE(first.transferEncoding, "quoted-printable"_ba);
    QCOMPARE(first.contentId, std::optional<QByteArray>("<id@x>"_ba));
    QCOMPARE(first.description, std::optional<QByteArray>("=?utf-8?q?caf=C3=A9?="_ba));
    QVERIFY(first.disposition.has_value());
    QCOMPARE(first.disposition->type, "attachment"_ba);
    QCOMPARE(first.disposition->parameters.value("filename"), u"a.txt"_s);
    QCOMPARE(first.languages, (QByteArrayList{"en-GB", "cy"}));
    QCOMPARE(first.location, std::optional<QByteArray>("http://example.org/a"_ba));
    QCOMPARE(first.md5, std::optional<QByteArray>("Q2hlY2s="_ba));

    const MimePart& second = tree.part(2);
    QCOMPARE(second.transferEncoding, "7bit"_ba); // "8 bit" is not a mechanism
    QCOMPARE(second.contentId, std::nullopt);     // empty counts as absent
    QCOMPARE(second.description, std::nullopt);
    QCOMPARE(second.disposition.has_value(), false);
    QVERIFY(second.languages.isEmpty());
}

void TestMimeParser::depthLimit_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("deepestType");

    QTest::newRow("multiparts") << nestedMultiparts(150) << "text/plain"_ba;
    QTest::newRow("messages") << nestedMessages(150) << "text/plain"_ba;
}

void TestMimeParser::depthLimit()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, deepestType);

    const MimeTree tree = MimeParser::parse(message);
    QVERIFY(tree.isTruncated());
    QCOMPARE(tree.parts().size(), MimeParser::kMaxDepth + 1);
    const MimePart& deepest = tree.parts().last();
    QCOMPARE(deepest.depth, MimeParser::kMaxDepth);
    QVERIFY(deepest.degraded);
    QCOMPARE(deepest.contentType.type + '/' + deepest.contentType.subtype, deepestType);
    QCOMPARE(deepest.end(), message.size());

    // Just inside the limit nothing is cut.
    QVERIFY(!MimeParser::parse(nestedMultiparts(MimeParser::kMaxDepth)).isTruncated());
    QVERIFY(!MimeParser::parse(nestedMessages(MimeParser::kMaxDepth)).isTruncated());
}

void TestMimeParser::partLimit()
{
    QByteArray message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"_ba;
    for (int i = 0; i < 20000; ++i)
        message += "--b\r\n";
    const MimeTree tree = MimeParser::parse(message);
    QVERIFY(tree.isTruncated());
    QCOMPARE(tree.parts().size(), MimeParser::kMaxParts);
    QCOMPARE(tree.root().children.size(), MimeParser::kMaxParts - 1);
}

void TestMimeParser::partForSection_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QList<int>>("section");
    QTest::addColumn<int>("part");

    const QByteArray single = "Subject: x\r\n\r\nbody\r\n"_ba;
    // 0 mixed: 1 text, 2 message/rfc822 (3 alternative: 4 text, 5 html), 6 message/rfc822 (7 text),
    // 8 alternative (9 text)
    const QByteArray nested = "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
                              "--o\r\n\r\none\r\n"
                              "--o\r\nContent-Type: message/rfc822\r\n\r\n"
                              "Content-Type: multipart/alternative; boundary=i\r\n\r\n"
                              "--i\r\n\r\na\r\n--i\r\nContent-Type: text/html\r\n\r\nb\r\n--i--\r\n"
                              "--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: s\r\n\r\nsingle\r\n"
                              "--o\r\nContent-Type: multipart/alternative; boundary=j\r\n\r\n--j\r\n\r\nc\r\n--j--\r\n"
                              "--o--\r\n"_ba;

    // RFC 9051 §6.4.5: a message that is not multipart has part 1, its body.
    QTest::newRow("single 1") << single << QList<int>{1} << 0;
    QTest::newRow("single 2") << single << QList<int>{2} << -1;
    QTest::newRow("single 1.1") << single << QList<int>{1, 1} << -1;
    QTest::newRow("empty") << single << QList<int>{} << -1;
    QTest::newRow("1") << nested << QList<int>{1} << 1;
    QTest::newRow("2") << nested << QList<int>{2} << 2;
    QTest::newRow("2.1") << nested << QList<int>{2, 1} << 4;
    QTest::newRow("2.2") << nested << QList<int>{2, 2} << 5;
    QTest::newRow("2.3") << nested << QList<int>{2, 3} << -1;
    QTest::newRow("3.1 single-part message") << nested << QList<int>{3, 1} << 7;
    QTest::newRow("3.2") << nested << QList<int>{3, 2} << -1;
    QTest::newRow("4.1") << nested << QList<int>{4, 1} << 9;
    QTest::newRow("1.1 of a leaf") << nested << QList<int>{1, 1} << -1;
    QTest::newRow("0") << nested << QList<int>{0} << -1;
    QTest::newRow("5") << nested << QList<int>{5} << -1;
}

void TestMimeParser::partForSection()
{
    QFETCH(QByteArray, message);
    QFETCH(QList<int>, section);
    QFETCH(int, part);

    const MimeTree tree = MimeParser::parse(message);
    QCOMPARE(tree.partForSection(section), part);
}

QTEST_APPLESS_MAIN(TestMimeParser)
#include "tst_mimeparser.moc"
