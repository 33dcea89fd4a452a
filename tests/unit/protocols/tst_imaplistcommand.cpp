// The LIST arguments of RFC 5258 / RFC 5819 / RFC 6154 §5.3 and the ID list of RFC 2971 §3.3, on
// crafted bytes: what is accepted, what each option turns on, and which inputs are syntax errors.
#include "protocols/imap/imapidcommand.h"
#include "protocols/imap/imaplistcommand.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestImapListCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listArguments_data()
    {
        QTest::addColumn<QByteArray>("arguments");
        QTest::addColumn<QByteArray>("summary"); // "" for a syntax error

        QTest::newRow("basic") << " \"\" *"_ba
                               << "ref= pat=* sel= ret= status="_ba;
        QTest::newRow("reference") << " Work/ %"_ba
                                   << "ref=Work/ pat=% sel= ret= status="_ba;
        QTest::newRow("subscribed") << " (SUBSCRIBED) \"\" \"*\""_ba
                                    << "ref= pat=* sel=S ret=S status="_ba;
        QTest::newRow("recursive") << " (subscribed recursivematch) \"\" %"_ba
                                   << "ref= pat=% sel=SR ret=S status="_ba;
        QTest::newRow("special-use") << " (SPECIAL-USE) \"\" *"_ba
                                     << "ref= pat=* sel=U ret= status="_ba;
        QTest::newRow("remote only") << " (REMOTE) \"\" *"_ba
                                     << "ref= pat=* sel= ret= status="_ba;
        QTest::newRow("empty selection") << " () \"\" *"_ba
                                         << "ref= pat=* sel= ret= status="_ba;
        QTest::newRow("patterns") << " \"\" (INBOX \"Foo/%\" {3}\r\nB*r)"_ba
                                  << "ref= pat=INBOX,Foo/%,B*r sel= ret= status="_ba;
        QTest::newRow("return") << " \"\" % RETURN (SUBSCRIBED CHILDREN SPECIAL-USE)"_ba
                                << "ref= pat=% sel= ret=SU status="_ba;
        QTest::newRow("status") << " \"\" % RETURN (STATUS (messages UNSEEN size messages))"_ba
                                << "ref= pat=% sel= ret= status=MESSAGES,UNSEEN,SIZE"_ba;
        QTest::newRow("empty return") << " \"\" % RETURN ()"_ba
                                      << "ref= pat=% sel= ret= status="_ba;
        QTest::newRow("recursive alone") << " (RECURSIVEMATCH) \"\" %"_ba
                                         << ""_ba;
        QTest::newRow("recursive with remote") << " (REMOTE RECURSIVEMATCH) \"\" %"_ba
                                               << ""_ba;
        QTest::newRow("unknown selection") << " (FOO) \"\" %"_ba
                                           << ""_ba;
        QTest::newRow("unknown return") << " \"\" % RETURN (FOO)"_ba
                                        << ""_ba;
        QTest::newRow("status without items") << " \"\" % RETURN (STATUS)"_ba
                                              << ""_ba;
        QTest::newRow("unknown status item") << " \"\" % RETURN (STATUS (MESSAGES BAR))"_ba
                                             << ""_ba;
        QTest::newRow("no return keyword") << " \"\" % (CHILDREN)"_ba
                                           << ""_ba;
        QTest::newRow("empty pattern list") << " \"\" ()"_ba
                                            << ""_ba;
        QTest::newRow("open pattern list") << " \"\" (% *"_ba
                                           << ""_ba;
        QTest::newRow("missing pattern") << " \"\""_ba
                                         << ""_ba;
        QTest::newRow("trailing bytes") << " \"\" % x"_ba
                                        << ""_ba;
    }

    void listArguments()
    {
        QFETCH(QByteArray, arguments);
        QFETCH(QByteArray, summary);
        ImapParser parser(arguments);
        const ImapListCommand command = ImapListCommand::parse(parser);
        if (summary.isEmpty())
        {
            QVERIFY2(!parser.ok(), arguments.constData());
            return;
        }
        QVERIFY2(parser.ok(), qPrintable(parser.error()));
        QByteArray selection;
        if (command.selectSubscribed)
            selection += 'S';
        if (command.recursiveMatch)
            selection += 'R';
        if (command.selectSpecialUse)
            selection += 'U';
        QByteArray returned;
        if (command.returnSubscribed)
            returned += 'S';
        if (command.returnSpecialUse)
            returned += 'U';
        QCOMPARE("ref="_ba + command.reference + " pat="_ba + QByteArrayList(command.patterns).join(',') + " sel="_ba +
                     selection + " ret="_ba + returned + " status="_ba + QByteArrayList(command.statusItems).join(','),
                 summary);
    }

    void wildcards_data()
    {
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("matches");
        QTest::newRow("star") << "*"_ba
                              << "a/b/c"_ba << true;
        QTest::newRow("percent stops at /") << "%"_ba
                                            << "a/b"_ba << false;
        QTest::newRow("percent one level") << "a/%"_ba
                                           << "a/b"_ba << true;
        QTest::newRow("percent not deeper") << "a/%"_ba
                                            << "a/b/c"_ba << false;
        QTest::newRow("infix") << "S%m"_ba
                               << "Spam"_ba << true;
        QTest::newRow("case") << "spam"_ba
                              << "Spam"_ba << false;
        QTest::newRow("empty pattern") << ""_ba
                                       << "a"_ba << false;
        QTest::newRow("hostile") << QByteArray(QByteArray("%*").repeated(2000) + 'x') << QByteArray(255, 'a') << false;
    }

    void wildcards()
    {
        QFETCH(QByteArray, pattern);
        QFETCH(QByteArray, name);
        QFETCH(bool, matches);
        QCOMPARE(ImapListCommand::wildcardMatch(pattern, name), matches);
    }

    void inboxMatchesInAnyCase()
    {
        ImapParser parser(" \"\" (inbox \"Inbox/%\")"_ba);
        const ImapListCommand command = ImapListCommand::parse(parser);
        QVERIFY(parser.ok());
        QVERIFY(command.matches("INBOX"));
        QVERIFY(command.matches("INBOX/Sub"));
        QVERIFY(!command.matches("Inboxes"));
    }

    void idArguments_data()
    {
        QTest::addColumn<QByteArray>("arguments");
        QTest::addColumn<int>("fields"); // -1: syntax error
        QByteArray thirty;
        QByteArray thirtyOne;
        for (int i = 0; i < 31; ++i)
        {
            const QByteArray pair = " \"f"_ba + QByteArray::number(i) + "\" \"v\""_ba;
            if (i < 30)
                thirty += pair;
            thirtyOne += pair;
        }
        QTest::newRow("nil") << " NIL"_ba << 0;
        QTest::newRow("pairs") << " (\"name\" \"sodr\" \"version\" NIL)"_ba << 2;
        QTest::newRow("30 pairs") << QByteArray(" (" + thirty.mid(1) + ')') << 30;
        QTest::newRow("31 pairs") << QByteArray(" (" + thirtyOne.mid(1) + ')') << -1;
        QTest::newRow("field of 30") << QByteArray(" (\"" + QByteArray(30, 'f') + "\" \"v\")") << 1;
        QTest::newRow("field of 31") << QByteArray(" (\"" + QByteArray(31, 'f') + "\" \"v\")") << -1;
        QTest::newRow("value of 1024") << QByteArray(" (\"f\" \"" + QByteArray(1024, 'v') + "\")") << 1;
        QTest::newRow("value of 1025") << QByteArray(" (\"f\" \"" + QByteArray(1025, 'v') + "\")") << -1;
        QTest::newRow("twice") << " (\"name\" \"a\" \"NAME\" \"b\")"_ba << -1;
        QTest::newRow("odd") << " (\"name\")"_ba << -1;
        QTest::newRow("empty list") << " ()"_ba << -1;
        QTest::newRow("atom field") << " (name \"x\")"_ba << -1;
        QTest::newRow("nothing") << ""_ba << -1;
    }

    void idArguments()
    {
        QFETCH(QByteArray, arguments);
        QFETCH(int, fields);
        ImapParser parser(arguments);
        const ImapIdCommand command = ImapIdCommand::parse(parser);
        QCOMPARE(parser.ok(), fields >= 0);
        QCOMPARE(command.fields.size(), qsizetype(std::max(fields, 0)));
    }
};

QTEST_GUILESS_MAIN(TestImapListCommand)
#include "tst_imaplistcommand.moc"
