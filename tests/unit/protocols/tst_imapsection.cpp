// BODY[section]<partial> of FETCH (RFC 9051 §6.4.5) cut from crafted messages.
#include "message/mimeparser.h"
#include "protocols/imap/imapsection.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
const QByteArray kSimple = "From: a@example.org\r\nSubject: Hi\r\nTo: b@example.org\r\n\r\nBody line.\r\n"_ba;

const QByteArray kMultipart = "Subject: Mixed\r\nContent-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n"
                              "--xx\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                              "--xx\r\nContent-Type: message/rfc822\r\n\r\n"
                              "Subject: Inner\r\nX-A: 1\r\n\r\ninner body\r\n"
                              "--xx--\r\n"_ba;
} // namespace

class TestImapSection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void extract_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("item");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("whole") << kSimple << "BODY[]"_ba << kSimple;
        QTest::newRow("header") << kSimple << "BODY[HEADER]"_ba
                                << "From: a@example.org\r\nSubject: Hi\r\nTo: b@example.org\r\n\r\n"_ba;
        QTest::newRow("text") << kSimple << "BODY[TEXT]"_ba
                              << "Body line.\r\n"_ba;
        QTest::newRow("part 1 of a single part") << kSimple << "BODY[1]"_ba
                                                 << "Body line.\r\n"_ba;
        QTest::newRow("fields") << kSimple << "BODY[HEADER.FIELDS (SUBJECT TO)]"_ba
                                << "Subject: Hi\r\nTo: b@example.org\r\n\r\n"_ba;
        QTest::newRow("fields not") << kSimple << "BODY[HEADER.FIELDS.NOT (subject)]"_ba
                                    << "From: a@example.org\r\nTo: b@example.org\r\n\r\n"_ba;
        QTest::newRow("fields none") << kSimple << "BODY[HEADER.FIELDS (CC)]"_ba
                                     << "\r\n"_ba;
        QTest::newRow("partial") << kSimple << "BODY[TEXT]<5.4>"_ba
                                 << "line"_ba;
        QTest::newRow("partial over the end") << kSimple << "BODY[TEXT]<5.100>"_ba
                                              << "line.\r\n"_ba;
        QTest::newRow("partial past the end") << kSimple << "BODY[TEXT]<100.5>"_ba
                                              << ""_ba;
        QTest::newRow("partial of fields") << kSimple << "BODY[HEADER.FIELDS (SUBJECT)]<0.7>"_ba
                                           << "Subject"_ba;
        QTest::newRow("multipart part 1") << kMultipart << "BODY[1]"_ba
                                          << "first"_ba;
        QTest::newRow("multipart part 1 mime") << kMultipart << "BODY[1.MIME]"_ba
                                               << "Content-Type: text/plain\r\n\r\n"_ba;
        QTest::newRow("embedded message") << kMultipart << "BODY[2]"_ba
                                          << "Subject: Inner\r\nX-A: 1\r\n\r\ninner body"_ba;
        QTest::newRow("embedded header") << kMultipart << "BODY[2.HEADER]"_ba
                                         << "Subject: Inner\r\nX-A: 1\r\n\r\n"_ba;
        QTest::newRow("embedded fields") << kMultipart << "BODY[2.HEADER.FIELDS (X-A)]"_ba
                                         << "X-A: 1\r\n\r\n"_ba;
        QTest::newRow("embedded text") << kMultipart << "BODY[2.TEXT]"_ba
                                       << "inner body"_ba;
        QTest::newRow("embedded body part") << kMultipart << "BODY[2.1]"_ba
                                            << "inner body"_ba;
        QTest::newRow("header of a non-message part") << kMultipart << "BODY[1.HEADER]"_ba
                                                      << ""_ba;
        QTest::newRow("no such part") << kMultipart << "BODY[7]"_ba
                                      << ""_ba;
    }

    void extract()
    {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, item);
        QFETCH(QByteArray, expected);
        ImapParser parser(item);
        const QList<ImapFetchAttribute> attributes = ImapFetchRequest::parse(parser);
        QVERIFY2(parser.ok() && attributes.size() == 1, qPrintable(parser.error()));
        const MimeTree tree = MimeParser::parse(message);
        const ImapSectionData data = ImapSection::extract(message, tree, attributes.first());
        QCOMPARE(data.bytes(message), expected);
        QCOMPARE(data.size(), expected.size());
    }
};

QTEST_GUILESS_MAIN(TestImapSection)
#include "tst_imapsection.moc"
