// FETCH data items (RFC 9051 §6.4.5): what the parser accepts and how each item is named in
// the response.
#include "protocols/imap/imapfetchattribute.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestImapFetchAttribute : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("names"); // responseName() of each item, joined by "|"
        QTest::addColumn<QByteArray>("flags"); // "P" for a .PEEK, "S" for an item that sets \Seen, "-" otherwise

        QTest::newRow("single") << "FLAGS"_ba
                                << "FLAGS"_ba
                                << "-"_ba;
        QTest::newRow("fast") << "FAST"_ba
                              << "FLAGS|INTERNALDATE|RFC822.SIZE"_ba
                              << "---"_ba;
        QTest::newRow("all") << "ALL"_ba
                             << "FLAGS|INTERNALDATE|RFC822.SIZE|ENVELOPE"_ba
                             << "----"_ba;
        QTest::newRow("full") << "full"_ba
                              << "FLAGS|INTERNALDATE|RFC822.SIZE|ENVELOPE|BODY"_ba
                              << "-----"_ba;
        QTest::newRow("list") << "(FLAGS UID RFC822.SIZE)"_ba
                              << "FLAGS|UID|RFC822.SIZE"_ba
                              << "---"_ba;
        QTest::newRow("modseq") << "(MODSEQ FLAGS)"_ba // RFC 7162 §3.1.4.1
                                << "MODSEQ|FLAGS"_ba
                                << "--"_ba;
        QTest::newRow("rfc822 family") << "(RFC822 RFC822.HEADER RFC822.TEXT)"_ba
                                       << "RFC822|RFC822.HEADER|RFC822.TEXT"_ba
                                       << "S-S"_ba;
        QTest::newRow("body and bodystructure") << "(BODY BODYSTRUCTURE)"_ba
                                                << "BODY|BODYSTRUCTURE"_ba
                                                << "--"_ba;
        QTest::newRow("whole body") << "BODY[]"_ba
                                    << "BODY[]"_ba
                                    << "S"_ba;
        QTest::newRow("peek") << "BODY.PEEK[]"_ba
                              << "BODY[]"_ba
                              << "P"_ba;
        QTest::newRow("header") << "BODY.PEEK[HEADER]"_ba
                                << "BODY[HEADER]"_ba
                                << "P"_ba;
        QTest::newRow("text") << "BODY[TEXT]"_ba
                              << "BODY[TEXT]"_ba
                              << "S"_ba;
        QTest::newRow("part") << "BODY[1.2]"_ba
                              << "BODY[1.2]"_ba
                              << "S"_ba;
        QTest::newRow("part mime") << "BODY.PEEK[2.MIME]"_ba
                                   << "BODY[2.MIME]"_ba
                                   << "P"_ba;
        QTest::newRow("part header") << "BODY[3.1.HEADER]"_ba
                                     << "BODY[3.1.HEADER]"_ba
                                     << "S"_ba;
        QTest::newRow("fields") << "BODY.PEEK[HEADER.FIELDS (Subject \"From\")]"_ba
                                << "BODY[HEADER.FIELDS (SUBJECT FROM)]"_ba
                                << "P"_ba;
        QTest::newRow("fields not") << "BODY[1.HEADER.FIELDS.NOT (DATE)]"_ba
                                    << "BODY[1.HEADER.FIELDS.NOT (DATE)]"_ba
                                    << "S"_ba;
        QTest::newRow("partial") << "BODY.PEEK[]<0.100>"_ba
                                 << "BODY[]<0>"_ba
                                 << "P"_ba;
        QTest::newRow("partial of text") << "BODY[TEXT]<10.5>"_ba
                                         << "BODY[TEXT]<10>"_ba
                                         << "S"_ba;
    }

    void parse()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, names);
        QFETCH(QByteArray, flags);
        ImapParser parser(input);
        const QList<ImapFetchAttribute> attributes = ImapFetchRequest::parse(parser);
        parser.end();
        QVERIFY2(parser.ok(), qPrintable(parser.error()));
        QByteArrayList got;
        QByteArray kinds;
        for (const ImapFetchAttribute& attribute : attributes)
        {
            got.append(attribute.responseName());
            kinds += attribute.peek ? 'P' : attribute.setsSeen() ? 'S' : '-';
        }
        QCOMPARE(got.join('|'), names);
        QCOMPARE(kinds, flags);
    }

    void partialAndFields()
    {
        ImapParser parser("BODY.PEEK[1.2.HEADER.FIELDS (TO CC)]<5.20>"_ba);
        const QList<ImapFetchAttribute> attributes = ImapFetchRequest::parse(parser);
        QCOMPARE(attributes.size(), 1);
        const ImapFetchAttribute& a = attributes.first();
        QCOMPARE(a.part, (QList<int>{1, 2}));
        QCOMPARE(a.text, ImapFetchAttribute::Text::HeaderFields);
        QCOMPARE(a.fields, (QList<QByteArray>{"TO"_ba, "CC"_ba}));
        QCOMPARE(a.partialOffset, 5);
        QCOMPARE(a.partialLength, 20);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown") << "FOO"_ba << u"unknown FETCH data item"_s;
        QTest::newRow("dot without text")
            << "BODY[1.]"_ba << u"expected HEADER, HEADER.FIELDS, TEXT or MIME after the part number"_s;
        QTest::newRow("mime without part") << "BODY[MIME]"_ba << u"expected \"]\""_s;
        QTest::newRow("zero partial") << "BODY[]<0.0>"_ba << u"a partial length must not be 0"_s;
        QTest::newRow("unclosed") << "(FLAGS UID"_ba << u"expected \")\""_s;
        QTest::newRow("fields without list") << "BODY[HEADER.FIELDS]"_ba << u"expected \" \""_s;
    }

    void rejected()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        ImapParser parser(input);
        const QList<ImapFetchAttribute> attributes = ImapFetchRequest::parse(parser);
        parser.end();
        QVERIFY(!parser.ok());
        QVERIFY(attributes.isEmpty());
        QCOMPARE(parser.error(), error);
    }
};

QTEST_GUILESS_MAIN(TestImapFetchAttribute)
#include "tst_imapfetchattribute.moc"
