// IMAP SEARCH (RFC 9051 §6.4.4): the search-key grammar read into a tree, the tree matched
// against messages, and the ESEARCH (RFC 4731) and SEARCHRES (RFC 5182) result forms.
#include "protocols/imap/imapsearchkey.h"
#include "protocols/imap/imapsearchmatcher.h"
#include "protocols/imap/imapsearchresult.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

QString describeSet(const SequenceSet& set)
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

// The tree as an S-expression, so a row reads like the key it expects.
QString describe(const ImapSearchKey& key)
{
    using Kind = ImapSearchKey::Kind;
    QStringList children;
    for (const ImapSearchKey& child : key.children)
        children.append(describe(child));
    const QString date = key.date.toString(u"yyyy-MM-dd"_s);
    switch (key.kind)
    {
    case Kind::All:
        return u"all"_s;
    case Kind::And:
        return u"(and "_s + children.join(u' ') + u')';
    case Kind::Or:
        return u"(or "_s + children.join(u' ') + u')';
    case Kind::Not:
        return u"(not "_s + children.join(u' ') + u')';
    case Kind::MessageNumbers:
        return u"seq "_s + describeSet(key.set);
    case Kind::Uid:
        return u"uid "_s + describeSet(key.set);
    case Kind::Flag:
        return (key.present ? u"flag "_s : u"noflag "_s) + QString::fromUtf8(key.flag);
    case Kind::Recent:
        return u"recent"_s;
    case Kind::Larger:
        return u"larger "_s + QString::number(key.number);
    case Kind::Smaller:
        return u"smaller "_s + QString::number(key.number);
    case Kind::Before:
        return u"before "_s + date;
    case Kind::On:
        return u"on "_s + date;
    case Kind::Since:
        return u"since "_s + date;
    case Kind::SentBefore:
        return u"sentbefore "_s + date;
    case Kind::SentOn:
        return u"senton "_s + date;
    case Kind::SentSince:
        return u"sentsince "_s + date;
    case Kind::Header:
        return u"header "_s + QString::fromUtf8(key.field) + u" \""_s + key.text + u'"';
    case Kind::Body:
        return u"body \""_s + key.text + u'"';
    case Kind::Text:
        return u"text \""_s + key.text + u'"';
    }
    return u"?"_s;
}

QByteArray message(const QByteArray& headers, const QByteArray& body)
{
    return headers + "\r\n"_ba + body;
}

} // namespace

class TestImapSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("arguments"); // after "SEARCH"
        QTest::addColumn<QString>("tree");         // or the error
        QTest::addColumn<QByteArray>("charset");
        QTest::addColumn<int>("options");
        QTest::newRow("all") << " ALL"_ba << u"all"_s << QByteArray() << 0;
        QTest::newRow("keys are case-insensitive") << " unseen"_ba << u"noflag \\Seen"_s << QByteArray() << 0;
        QTest::newRow("implicit and") << " SEEN FLAGGED UNDRAFT"_ba
                                      << u"(and flag \\Seen flag \\Flagged noflag \\Draft)"_s << QByteArray() << 0;
        QTest::newRow("every flag key") << " ANSWERED DELETED DRAFT UNANSWERED UNDELETED UNFLAGGED"_ba
                                        << u"(and flag \\Answered flag \\Deleted flag \\Draft noflag \\Answered "
                                           "noflag \\Deleted noflag \\Flagged)"_s
                                        << QByteArray() << 0;
        QTest::newRow("keyword") << " KEYWORD $Label1 UNKEYWORD Junk"_ba << u"(and flag $Label1 noflag Junk)"_s
                                 << QByteArray() << 0;
        QTest::newRow("rfc 9051 example")
            << " FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""_ba
            << u"(and flag \\Flagged since 1994-02-01 (not header FROM \"Smith\"))"_s << QByteArray() << 0;
        QTest::newRow("or nested")
            << " OR (SEEN FROM a) NOT OR TO b CC \"c d\""_ba
            << u"(or (and flag \\Seen header FROM \"a\") (not (or header TO \"b\" header CC \"c d\")))"_s
            << QByteArray() << 0;
        QTest::newRow("sequence sets") << " 1:3,5,7:* UID 2:4"_ba << u"(and seq 1:3,5,7:* uid 2:4)"_s << QByteArray()
                                       << 0;
        QTest::newRow("saved result") << " $ UID $"_ba << u"(and seq $ uid $)"_s << QByteArray() << 0;
        QTest::newRow("sizes") << " LARGER 100 SMALLER 5000000000"_ba << u"(and larger 100 smaller 5000000000)"_s
                               << QByteArray() << 0;
        QTest::newRow("dates") << " BEFORE 01-Jan-2020 ON \"3-mar-2021\" SENTBEFORE 1-Jan-2000 SENTON 2-Feb-2002 "
                                  "SENTSINCE 29-Feb-2024"_ba
                               << u"(and before 2020-01-01 on 2021-03-03 sentbefore 2000-01-01 senton 2002-02-02 "
                                  "sentsince 2024-02-29)"_s
                               << QByteArray() << 0;
        QTest::newRow("header keys") << " BCC x HEADER X-Mailer \"\" SUBJECT {3}\r\nh i"_ba
                                     << u"(and header BCC \"x\" header X-Mailer \"\" header SUBJECT \"h i\")"_s
                                     << QByteArray() << 0;
        QTest::newRow("body and text") << " BODY hello TEXT \"w\xc3\xb6rld\""_ba
                                       << u"(and body \"hello\" text \"wörld\")"_s << QByteArray() << 0;
        QTest::newRow("rfc 3501 new old recent")
            << " NEW OLD RECENT"_ba << u"(and (and recent noflag \\Seen) (not recent) recent)"_s << QByteArray() << 0;
        QTest::newRow("charset") << " CHARSET utf-8 TEXT x"_ba << u"text \"x\""_s << "UTF-8"_ba << 0;
        QTest::newRow("unsupported charset parses")
            << " CHARSET KOI8-R TEXT x"_ba << u"text \"x\""_s << "KOI8-R"_ba << 0;
        QTest::newRow("return options") << " RETURN (MIN MAX COUNT) ALL"_ba << u"all"_s << QByteArray() << (1 | 2 | 8);
        QTest::newRow("empty return is all") << " RETURN () UNSEEN"_ba << u"noflag \\Seen"_s << QByteArray() << 4;
        QTest::newRow("return save then charset")
            << " RETURN (SAVE ALL) CHARSET US-ASCII 1"_ba << u"seq 1"_s << "US-ASCII"_ba << (16 | 4);
        // Errors
        QTest::newRow("nothing") << ""_ba << u"expected \" \""_s << QByteArray() << 0;
        QTest::newRow("unknown key") << " FOO"_ba << u"unknown search key FOO"_s << QByteArray() << 0;
        QTest::newRow("unbalanced") << " (SEEN"_ba << u"expected \")\""_s << QByteArray() << 0;
        QTest::newRow("empty list") << " ()"_ba << u"expected an atom"_s << QByteArray() << 0;
        QTest::newRow("or needs two") << " OR SEEN"_ba << u"expected \" \""_s << QByteArray() << 0;
        QTest::newRow("bad date") << " SINCE 31-Feb-2020"_ba << u"invalid date; expected dd-Mon-yyyy"_s << QByteArray()
                                  << 0;
        QTest::newRow("bad month") << " ON 1-Foo-2020"_ba << u"invalid date; expected dd-Mon-yyyy"_s << QByteArray()
                                   << 0;
        QTest::newRow("zero") << " 0"_ba << u"0 is not a message number"_s << QByteArray() << 0;
        QTest::newRow("saved in a list") << " $,1"_ba << u"unexpected \",1\""_s << QByteArray() << 0;
        QTest::newRow("trailing space") << " ALL "_ba << u"expected an atom"_s << QByteArray() << 0;
        QTest::newRow("unknown return option")
            << " RETURN (PARTIAL) ALL"_ba << u"unknown RETURN option PARTIAL"_s << QByteArray() << 0;
        QTest::newRow("larger needs a number") << " LARGER x"_ba << u"expected a number"_s << QByteArray() << 0;
        QTest::newRow("missing string") << " SUBJECT"_ba << u"expected \" \""_s << QByteArray() << 0;
        QTest::newRow("too deep") << " "_ba + QByteArray(100, '(') + "ALL"_ba + QByteArray(100, ')')
                                  << u"search keys nested too deeply"_s << QByteArray() << 0;
        QTest::newRow("not too deep") << " "_ba + QByteArray(30, '(') + "ALL"_ba + QByteArray(30, ')')
                                      << u"(and "_s.repeated(30) + u"all"_s + QString(30, u')') << QByteArray() << 0;
    }

    void parse()
    {
        QFETCH(QByteArray, arguments);
        QFETCH(QString, tree);
        QFETCH(QByteArray, charset);
        QFETCH(int, options);
        ImapParser parser(arguments);
        const ImapSearchProgram program = ImapSearchProgram::parse(parser);
        if (!parser.ok())
        {
            QCOMPARE(parser.error(), tree);
            return;
        }
        QCOMPARE(describe(program.key), tree);
        QCOMPARE(program.charset, charset);
        QCOMPARE(program.returnOptions, options);
        QCOMPARE(program.extended, options != 0);
    }

    void charsets()
    {
        QVERIFY(ImapSearchProgram::isSupportedCharset(QByteArray()));
        QVERIFY(ImapSearchProgram::isSupportedCharset("UTF-8"_ba));
        QVERIFY(ImapSearchProgram::isSupportedCharset("US-ASCII"_ba));
        QVERIFY(!ImapSearchProgram::isSupportedCharset("ISO-8859-1"_ba));
    }

    void match_data()
    {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("matched"); // sequence numbers of the fixture folder
        QTest::newRow("all") << "ALL"_ba << u"1 2 3 4"_s;
        QTest::newRow("seen") << "SEEN"_ba << u"1 3"_s;
        QTest::newRow("flag names ignore case") << "KEYWORD $label1"_ba << u"2"_s;
        QTest::newRow("unseen") << "UNSEEN"_ba << u"2 4"_s;
        QTest::newRow("sequence with star") << "2:*"_ba << u"2 3 4"_s;
        QTest::newRow("star alone") << "*"_ba << u"4"_s;
        QTest::newRow("reversed range") << "3:2"_ba << u"2 3"_s;
        QTest::newRow("beyond the end") << "9"_ba << u""_s;
        QTest::newRow("uid") << "UID 20:30"_ba << u"2 3"_s;
        QTest::newRow("uid star") << "UID *"_ba << u"4"_s;
        QTest::newRow("saved") << "$"_ba << u"1 4"_s;
        QTest::newRow("uid saved") << "UID $ SEEN"_ba << u"1"_s;
        QTest::newRow("larger") << "LARGER 1000"_ba << u"3"_s;
        QTest::newRow("smaller") << "SMALLER 1000"_ba << u"1 2 4"_s;
        QTest::newRow("internal date on") << "ON 2-Mar-2024"_ba << u"2"_s;
        QTest::newRow("before") << "BEFORE 2-Mar-2024"_ba << u"1"_s;
        QTest::newRow("since") << "SINCE 2-Mar-2024"_ba << u"2 3 4"_s;
        QTest::newRow("sent on uses the date's own zone") << "SENTON 31-Dec-2023"_ba << u"1"_s;
        QTest::newRow("sent since") << "SENTSINCE 1-Jan-2024"_ba << u"2 3 4"_s;
        QTest::newRow("sent before") << "SENTBEFORE 1-Mar-2024"_ba << u"1 2 3"_s;
        QTest::newRow("no date header: internal date") << "SENTSINCE 4-Mar-2024"_ba << u"4"_s;
        QTest::newRow("subject encoded word") << "SUBJECT \"CAFÉ\""_ba << u"1"_s;
        QTest::newRow("from display name") << "FROM \"jörg\""_ba << u"2"_s;
        QTest::newRow("from address") << "FROM alice@EXAMPLE"_ba << u"1"_s;
        QTest::newRow("to") << "TO bob"_ba << u"1 2 3"_s;
        QTest::newRow("cc") << "CC carol"_ba << u"3"_s;
        QTest::newRow("bcc absent") << "BCC carol"_ba << u""_s;
        QTest::newRow("header exists") << "HEADER X-Priority \"\""_ba << u"3"_s;
        QTest::newRow("header value") << "HEADER x-priority 1"_ba << u"3"_s;
        QTest::newRow("body qp latin1") << "BODY \"NAÏVE\""_ba << u"1"_s;
        QTest::newRow("body base64 utf8") << "BODY \"köln\""_ba << u"2"_s;
        QTest::newRow("body not header") << "BODY Report"_ba << u""_s;
        QTest::newRow("text covers header") << "TEXT Report"_ba << u"3"_s;
        QTest::newRow("text covers body") << "TEXT attached"_ba << u"3"_s;
        QTest::newRow("body skips attachments") << "BODY secret"_ba << u""_s;
        QTest::newRow("or") << "OR SEEN KEYWORD $Label1"_ba << u"1 2 3"_s;
        QTest::newRow("not or") << "NOT OR SEEN KEYWORD $Label1"_ba << u"4"_s;
        QTest::newRow("list") << "(SEEN LARGER 1000) ALL"_ba << u"3"_s;
        QTest::newRow("recent never") << "RECENT"_ba << u""_s;
        QTest::newRow("new never") << "NEW"_ba << u""_s;
        QTest::newRow("old always") << "OLD"_ba << u"1 2 3 4"_s;
        QTest::newRow("missing file matches no text") << "TEXT a"_ba << u"1 2 3"_s;
    }

    void match()
    {
        QFETCH(QByteArray, keys);
        QFETCH(QString, matched);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QList<QByteArray> contents{
            message(
                "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\n"
                "Subject: =?ISO-8859-1?Q?Caf=E9?= au lait\r\nDate: Sun, 31 Dec 2023 23:30:00 -0500 (EST)\r\n"
                "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"_ba,
                "Un caf=E9 na=EFve\r\n"_ba),
            message("From: =?UTF-8?B?SsO2cmc=?= <j@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: hello\r\n"
                    "Date: Tue, 2 Jan 2024 10:00:00 +0000\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"_ba,
                    "R3LDvMOfZSBhdXMgS8O2bG4=\r\n"_ba),
            message("From: x@example.org\r\nTo: bob@example.org\r\nCc: Carol <carol@example.org>\r\n"
                    "Subject: Report\r\nX-Priority: 1\r\nDate: Wed, 3 Jan 2024 10:00:00 +0000\r\n"
                    "Content-Type: multipart/mixed; boundary=b\r\n"_ba,
                    "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
                    "Content-Type: application/octet-stream\r\n\r\nsecret\r\n--b--\r\n"_ba +
                        QByteArray(1200, 'x')),
            {}, // file missing: no Date, no text
        };
        const QList<QList<QByteArray>> flags{{"\\Seen"}, {"$Label1"}, {"\\seen", "\\Flagged"}, {}};
        const QList<QDateTime> arrivals{
            QDateTime(QDate(2024, 3, 1), QTime(23, 0), Qt::UTC),
            QDateTime(QDate(2024, 3, 2), QTime(1, 0), Qt::UTC),
            QDateTime(QDate(2024, 3, 3), QTime(1, 0), Qt::UTC),
            QDateTime(QDate(2024, 3, 4), QTime(1, 0), Qt::UTC),
        };
        const QList<qint64> uids{10, 20, 30, 40};
        QList<SnapshotMessage> messages;
        for (int i = 0; i < 4; ++i)
        {
            SnapshotMessage m;
            m.uid = uids[i];
            m.flags = flags[i];
            m.internalDate = arrivals[i].toSecsSinceEpoch();
            m.path = dir.filePath(QString::number(i));
            m.size = contents[i].size();
            if (i < 3)
            {
                QFile file(m.path);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(contents[i]);
            }
            messages.append(m);
        }
        const QByteArray arguments = " "_ba + keys;
        ImapParser parser(arguments);
        const ImapSearchProgram program = ImapSearchProgram::parse(parser);
        QVERIFY2(parser.ok(), qPrintable(parser.error()));
        const QSet<qint64> saved{10, 40, 99};
        ImapSearchMatcher matcher(program.key, ImapSearchMatcher::Folder{4, 40, &saved});
        QStringList found;
        for (int i = 0; i < 4; ++i)
        {
            if (matcher.matches(messages[i], i))
                found.append(QString::number(i + 1));
        }
        QCOMPARE(found.join(u' '), matched);
    }

    void sequenceSet_data()
    {
        QTest::addColumn<QList<qint64>>("numbers");
        QTest::addColumn<QByteArray>("set");
        QTest::newRow("empty") << QList<qint64>{} << ""_ba;
        QTest::newRow("one") << QList<qint64>{7} << "7"_ba;
        QTest::newRow("runs") << QList<qint64>{1, 2, 3, 5, 8, 9} << "1:3,5,8:9"_ba;
    }

    void sequenceSet()
    {
        QFETCH(QList<qint64>, numbers);
        QFETCH(QByteArray, set);
        QCOMPARE(ImapSearchResult::sequenceSet(numbers), set);
    }

    void esearch_data()
    {
        using P = ImapSearchProgram;
        QTest::addColumn<bool>("uid");
        QTest::addColumn<QList<qint64>>("numbers");
        QTest::addColumn<int>("options");
        QTest::addColumn<QByteArray>("line");
        // RFC 4731 §3.1 examples
        QTest::newRow("min count uid") << true << QList<qint64>{2, 10, 11} << int(P::ReturnMin | P::ReturnCount)
                                       << "ESEARCH (TAG \"A\") UID MIN 2 COUNT 3"_ba;
        QTest::newRow("all") << false << QList<qint64>{2,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
                                                       25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
                                                       41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
                                                       57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72,
                                                       73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88,
                                                       89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100}
                             << int(P::ReturnAll) << "ESEARCH (TAG \"A\") ALL 2,10:100"_ba;
        QTest::newRow("nothing matched") << false << QList<qint64>{}
                                         << int(P::ReturnMin | P::ReturnMax | P::ReturnAll | P::ReturnCount)
                                         << "ESEARCH (TAG \"A\") COUNT 0"_ba;
        QTest::newRow("nothing no count")
            << true << QList<qint64>{} << int(P::ReturnAll) << "ESEARCH (TAG \"A\") UID"_ba;
        QTest::newRow("min max") << false << QList<qint64>{3, 4, 9} << int(P::ReturnMin | P::ReturnMax)
                                 << "ESEARCH (TAG \"A\") MIN 3 MAX 9"_ba;
    }

    void esearch()
    {
        QFETCH(bool, uid);
        QFETCH(QList<qint64>, numbers);
        QFETCH(int, options);
        QFETCH(QByteArray, line);
        QCOMPARE(ImapSearchResult::esearch("A"_ba, uid, numbers, options), line);
    }

    void saved_data()
    {
        using P = ImapSearchProgram;
        QTest::addColumn<int>("options");
        QTest::addColumn<QList<qsizetype>>("saved");
        // RFC 5182 §2.1
        QTest::newRow("save alone") << int(P::ReturnSave) << QList<qsizetype>{1, 4, 6};
        QTest::newRow("min") << int(P::ReturnSave | P::ReturnMin) << QList<qsizetype>{1};
        QTest::newRow("max") << int(P::ReturnSave | P::ReturnMax) << QList<qsizetype>{6};
        QTest::newRow("min max") << int(P::ReturnSave | P::ReturnMin | P::ReturnMax) << QList<qsizetype>{1, 6};
        QTest::newRow("min count") << int(P::ReturnSave | P::ReturnMin | P::ReturnCount) << QList<qsizetype>{1, 4, 6};
        QTest::newRow("max all") << int(P::ReturnSave | P::ReturnMax | P::ReturnAll) << QList<qsizetype>{1, 4, 6};
    }

    void saved()
    {
        QFETCH(int, options);
        QFETCH(QList<qsizetype>, saved);
        QCOMPARE(ImapSearchResult::savedIndexes({1, 4, 6}, options), saved);
        QCOMPARE(ImapSearchResult::savedIndexes({}, options), QList<qsizetype>{});
    }
};

QTEST_GUILESS_MAIN(TestImapSearch)
#include "tst_imapsearch.moc"
