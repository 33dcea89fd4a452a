// message/addresslist.h: From/To/Cc address lists and Message-IDs as mail really writes them,
// and message/encodedword.h, the RFC 2047 decoding their display names go through.
#include "message/addresslist.h"
#include "message/encodedword.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// "Display Name <local@domain>", or "<local@domain>" without a display name.
QStringList described(const AddressListParse& parsed)
{
    QStringList lines;
    for (const HeaderAddress& address : parsed.addresses)
    {
        const QString angle = u'<' + address.address + u'>';
        lines.append(address.displayName.isEmpty() ? angle : address.displayName + u' ' + angle);
    }
    return lines;
}

QByteArray addresses(int count)
{
    QByteArray list;
    for (int i = 0; i < count; ++i)
        list += "u" + QByteArray::number(i) + "@example.org, ";
    return list;
}

} // namespace

class TestAddressList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseAddressList_data();
    void parseAddressList();
    void addressCountLimit();
    void inputSizeLimit();
    void parseMessageId_data();
    void parseMessageId();
    void decodeEncodedWords_data();
    void decodeEncodedWords();
};

void TestAddressList::parseAddressList_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("ok");

    // RFC 5322 §3.4 forms
    QTest::newRow("addr-spec") << "alice@example.org"_ba << QStringList{u"<alice@example.org>"_s} << true;
    QTest::newRow("name-addr") << "Alice Example <alice@example.org>"_ba
                               << QStringList{u"Alice Example <alice@example.org>"_s} << true;
    QTest::newRow("angle only") << "<alice@example.org>"_ba << QStringList{u"<alice@example.org>"_s} << true;
    QTest::newRow("case kept") << "Alice <Alice.Smith@Example.ORG>"_ba
                               << QStringList{u"Alice <Alice.Smith@Example.ORG>"_s} << true;
    QTest::newRow("list") << "a@x.org, Bob <b@y.org>,c@z.org"_ba
                          << QStringList{u"<a@x.org>"_s, u"Bob <b@y.org>"_s, u"<c@z.org>"_s} << true;
    QTest::newRow("quoted name with comma")
        << "\"Doe, John\" <john@example.com>, jane@example.com"_ba
        << QStringList{u"Doe, John <john@example.com>"_s, u"<jane@example.com>"_s} << true;
    QTest::newRow("quoted name with escapes")
        << "\"John \\\"Jack\\\" Doe\" <j@x.org>"_ba << QStringList{u"John \"Jack\" Doe <j@x.org>"_s} << true;
    QTest::newRow("quoted and atom words")
        << "\"Mary\"   Smith <m@x.org>"_ba << QStringList{u"Mary Smith <m@x.org>"_s} << true;
    QTest::newRow("quoted local part") << "\"john doe\"@example.org, \"a,b\"@x.org"_ba
                                       << QStringList{u"<\"john doe\"@example.org>"_s, u"<\"a,b\"@x.org>"_s} << true;
    QTest::newRow("domain literal") << "root@[192.0.2.1]"_ba << QStringList{u"<root@[192.0.2.1]>"_s} << true;
    QTest::newRow("folded") << "Alice\r\n <alice@example.org>,\r\n\tbob@example.org"_ba
                            << QStringList{u"Alice <alice@example.org>"_s, u"<bob@example.org>"_s} << true;
    QTest::newRow("empty") << ""_ba << QStringList{} << true;
    QTest::newRow("blank") << "  \t "_ba << QStringList{} << true;

    // Comments (RFC 5322 §3.2.2)
    QTest::newRow("comments ignored") << "(lead) alice@example.org (Alice)"_ba << QStringList{u"<alice@example.org>"_s}
                                      << true;
    QTest::newRow("nested comment") << "Bob (the (real) builder) <bob@example.org>"_ba
                                    << QStringList{u"Bob <bob@example.org>"_s} << true;
    QTest::newRow("comment with quoted-pair")
        << "carol@example.org (a \\) b (c\\(d))"_ba << QStringList{u"<carol@example.org>"_s} << true;
    QTest::newRow("comment separates words")
        << "John(middle)Doe <jd@x.org>"_ba << QStringList{u"John Doe <jd@x.org>"_s} << true;
    QTest::newRow("comments inside addr-spec")
        << "john(c).doe@(c)example.org"_ba << QStringList{u"<john.doe@example.org>"_s} << true;

    // Groups
    QTest::newRow("group") << "Team: a@x.org, Bob <b@x.org>;"_ba << QStringList{u"<a@x.org>"_s, u"Bob <b@x.org>"_s}
                           << true;
    QTest::newRow("empty group") << "undisclosed-recipients:;"_ba << QStringList{} << true;
    QTest::newRow("group between mailboxes")
        << "x@a.org, Friends: y@b.org, \"Z\" <z@c.org>;, w@d.org"_ba
        << QStringList{u"<x@a.org>"_s, u"<y@b.org>"_s, u"Z <z@c.org>"_s, u"<w@d.org>"_s} << true;
    QTest::newRow("group with comment and empty elements")
        << "A Group(Some people):Chris Jones <c@(Chris's host.)public.example>, joe@example.org,, John <jdoe@one.test> (my dear friend); (the end of the group)"_ba
        << QStringList{u"Chris Jones <c@public.example>"_s, u"<joe@example.org>"_s, u"John <jdoe@one.test>"_s} << true;
    QTest::newRow("unterminated group") << "Team: a@x.org, b@x.org"_ba << QStringList{u"<a@x.org>"_s, u"<b@x.org>"_s}
                                        << false;
    QTest::newRow("nested group") << "G: H: a@x.org;;"_ba << QStringList{} << false;

    // RFC 2047 encoded-words in display names
    QTest::newRow("encoded B utf-8") << "=?UTF-8?B?SsO8cmdlbg==?= <j@x.org>"_ba << QStringList{u"Jürgen <j@x.org>"_s}
                                     << true;
    QTest::newRow("encoded Q latin-1 underscore") << "=?ISO-8859-1?Q?Andr=E9_Pirard?= <pirard@vm1.ulg.ac.be>"_ba
                                                  << QStringList{u"André Pirard <pirard@vm1.ulg.ac.be>"_s} << true;
    QTest::newRow("encoded B latin-1") << "=?iso-8859-1?b?SvxyZ2Vu?= <j@x.org>"_ba << QStringList{u"Jürgen <j@x.org>"_s}
                                       << true;
    QTest::newRow("encoded q windows-1252")
        << "=?windows-1252?q?Fran=E7ois?= <f@x.fr>"_ba << QStringList{u"François <f@x.fr>"_s} << true;
    QTest::newRow("adjacent encoded words join")
        << "=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?= <ab@x.org>"_ba << QStringList{u"ab <ab@x.org>"_s} << true;
    QTest::newRow("encoded then plain word")
        << "=?ISO-8859-1?Q?a?= b <x@y.org>"_ba << QStringList{u"a b <x@y.org>"_s} << true;
    QTest::newRow("encoded word with specials")
        << "=?UTF-8?Q?Doe,_J.?= <jd@x.org>"_ba << QStringList{u"Doe, J. <jd@x.org>"_s} << true;
    QTest::newRow("encoded word in quotes")
        << "\"=?UTF-8?Q?J=C3=BCrgen?=\" <j@x.org>"_ba << QStringList{u"Jürgen <j@x.org>"_s} << true;
    QTest::newRow("encoded with language") << "=?US-ASCII*EN?Q?Keith_Moore?= <moore@cs.utk.edu>"_ba
                                           << QStringList{u"Keith Moore <moore@cs.utk.edu>"_s} << true;
    QTest::newRow("unknown charset as written")
        << "=?x-unknown?Q?abc?= <u@x.org>"_ba << QStringList{u"=?x-unknown?Q?abc?= <u@x.org>"_s} << true;
    QTest::newRow("broken base64 as written")
        << "=?UTF-8?B?###?= <u@x.org>"_ba << QStringList{u"=?UTF-8?B?###?= <u@x.org>"_s} << true;
    QTest::newRow("raw utf-8 name") << "\"Zo\xc3\xab \xc3\x84\" <z@x.org>"_ba << QStringList{u"Zoë Ä <z@x.org>"_s}
                                    << true;

    // Obsolete forms (RFC 5322 §4.4)
    QTest::newRow("obs dotted name") << "John Q. Public <jqp@example.org>"_ba
                                     << QStringList{u"John Q. Public <jqp@example.org>"_s} << true;
    QTest::newRow("route dropped") << "<@route.example:user@example.org>"_ba << QStringList{u"<user@example.org>"_s}
                                   << true;
    QTest::newRow("two-hop route") << "Joe <@a.example,@b.example:joe@example.org>"_ba
                                   << QStringList{u"Joe <joe@example.org>"_s} << true;
    QTest::newRow("empty elements") << "a@x.org,,b@y.org, ,c@z.org"_ba
                                    << QStringList{u"<a@x.org>"_s, u"<b@y.org>"_s, u"<c@z.org>"_s} << true;
    QTest::newRow("leading and trailing commas") << ",a@x.org,"_ba << QStringList{u"<a@x.org>"_s} << true;
    QTest::newRow("spaces around dots") << "john . doe @ example . org"_ba << QStringList{u"<john.doe@example.org>"_s}
                                        << true;

    // Internationalised addresses (RFC 6532): kept as written
    QTest::newRow("idn domain") << "J\xc3\xb6rg <j\xc3\xb6rg@b\xc3\xbc\x63her.example>"_ba
                                << QStringList{u"Jörg <jörg@bücher.example>"_s} << true;
    QTest::newRow("a-label domain") << "info@xn--bcher-kva.example"_ba << QStringList{u"<info@xn--bcher-kva.example>"_s}
                                    << true;

    // Broken input: skipped, ok false, the rest still read
    QTest::newRow("no at sign") << "alice"_ba << QStringList{} << false;
    QTest::newRow("broken among good") << "a@x.org, not an address, b@y.org"_ba
                                       << QStringList{u"<a@x.org>"_s, u"<b@y.org>"_s} << false;
    QTest::newRow("empty local part") << "@example.org, <@example.org>"_ba << QStringList{} << false;
    QTest::newRow("empty domain") << "Alice <alice@>, bob@"_ba << QStringList{} << false;
    QTest::newRow("empty angle") << "<>"_ba << QStringList{} << false;
    QTest::newRow("missing closing angle")
        << "Alice <alice@example.org, bob@example.org"_ba << QStringList{u"<bob@example.org>"_s} << false;
    QTest::newRow("unterminated quote") << "\"Alice <a@x.org>"_ba << QStringList{} << false;
    QTest::newRow("unterminated comment") << "a@x.org, b@y.org (oops"_ba << QStringList{u"<a@x.org>"_s} << false;
    QTest::newRow("junk after angle") << "A <a@x.org> junk, b@y.org"_ba << QStringList{u"A <a@x.org>"_s, u"<b@y.org>"_s}
                                      << false;
    QTest::newRow("stray closing angle") << "a@x.org>, b@y.org"_ba << QStringList{u"<b@y.org>"_s} << false;
    QTest::newRow("semicolon separated") << "a@x.org; b@y.org"_ba << QStringList{u"<a@x.org>"_s, u"<b@y.org>"_s}
                                         << false;
    QTest::newRow("name without angle") << "John john@x.org"_ba << QStringList{} << false;
    QTest::newRow("two at signs") << "a@b@c.org"_ba << QStringList{} << false;
    QTest::newRow("control character") << "a\x01@x.org, b@y.org"_ba << QStringList{u"<b@y.org>"_s} << false;
    QTest::newRow("route without colon") << "<@route.example,user@example.org>"_ba << QStringList{} << false;
}

void TestAddressList::parseAddressList()
{
    QFETCH(QByteArray, value);
    QFETCH(QStringList, expected);
    QFETCH(bool, ok);

    const AddressListParse parsed = promail::parseAddressList(value);
    QCOMPARE(described(parsed), expected);
    QCOMPARE(parsed.ok, ok);
}

void TestAddressList::addressCountLimit()
{
    const AddressListParse atLimit = promail::parseAddressList(addresses(1000));
    QVERIFY(atLimit.ok);
    QCOMPARE(atLimit.addresses.size(), 1000);
    QCOMPARE(atLimit.addresses.last().address, u"u999@example.org"_s);

    const AddressListParse over = promail::parseAddressList(addresses(1001));
    QVERIFY(!over.ok);
    QCOMPARE(over.addresses.size(), 1000);
    QCOMPARE(over.addresses.last().address, u"u999@example.org"_s);
}

void TestAddressList::inputSizeLimit()
{
    // One address padded with a comment to exactly 64 KiB is read; one byte more is refused whole.
    const QByteArray address = "a@x.org ("_ba;
    const QByteArray atLimit = address + QByteArray(65536 - address.size() - 1, 'c') + ")";
    QCOMPARE(atLimit.size(), 65536);
    const AddressListParse read = promail::parseAddressList(atLimit);
    QVERIFY(read.ok);
    QCOMPARE(described(read), QStringList{u"<a@x.org>"_s});

    const AddressListParse refused = promail::parseAddressList(QByteArray(atLimit + " "));
    QVERIFY(!refused.ok);
    QVERIFY(refused.addresses.isEmpty());
}

void TestAddressList::parseMessageId_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << "<abc.123@example.org>"_ba << u"abc.123@example.org"_s;
    QTest::newRow("cfws around") << "  (comment (nested)) <abc@example.org> (trailing)"_ba << u"abc@example.org"_s;
    QTest::newRow("first of references") << "<a@x.example>\r\n <b@y.example>"_ba << u"a@x.example"_s;
    QTest::newRow("angle in comment skipped") << "(see <fake@x.example>) <real@y.example>"_ba << u"real@y.example"_s;
    QTest::newRow("gmail style") << "<CAF=x+Y_z-1@mail.gmail.com>"_ba << u"CAF=x+Y_z-1@mail.gmail.com"_s;
    QTest::newRow("domain literal right") << "<1234@[192.0.2.1]>"_ba << u"1234@[192.0.2.1]"_s;
    QTest::newRow("no at sign skipped") << "<noat> <id@host.example>"_ba << u"id@host.example"_s;
    QTest::newRow("folded inside") << "<a.very.long.id@\r\n host.example>"_ba << u"a.very.long.id@host.example"_s;
    QTest::newRow("no brackets") << "abc@example.org"_ba << QString();
    QTest::newRow("empty") << ""_ba << QString();
    QTest::newRow("no id") << "no id here"_ba << QString();
    QTest::newRow("unterminated") << "<abc@example.org"_ba << QString();
    QTest::newRow("empty left") << "<@example.org>"_ba << QString();
    QTest::newRow("empty right") << "<abc@>"_ba << QString();
    QTest::newRow("unterminated comment") << "(<a@b.example>"_ba << QString();
}

void TestAddressList::parseMessageId()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    QCOMPARE(promail::parseMessageId(value), expected);
}

void TestAddressList::decodeEncodedWords_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    // RFC 2047 §8 examples, as unstructured text
    QTest::newRow("not a whole word") << "(=?ISO-8859-1?Q?a?=)"_ba << u"(=?ISO-8859-1?Q?a?=)"_s;
    QTest::newRow("word") << "=?ISO-8859-1?Q?a?="_ba << u"a"_s;
    QTest::newRow("word and text") << "=?ISO-8859-1?Q?a?= b"_ba << u"a b"_s;
    QTest::newRow("two words") << "=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?="_ba << u"ab"_s;
    QTest::newRow("two words folded") << "=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?="_ba << u"ab"_s;
    QTest::newRow("encoded space") << "=?ISO-8859-1?Q?a_b?="_ba << u"a b"_s;
    QTest::newRow("different charsets") << "=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?="_ba << u"a b"_s;
    // In practice
    QTest::newRow("subject") << "Re: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?= !"_ba << u"Re: Grüße aus Köln !"_s;
    QTest::newRow("no space between words") << "=?UTF-8?Q?a?==?UTF-8?Q?b?="_ba << u"ab"_s;
    QTest::newRow("cjk") << "=?utf-8?b?5pel5pys6Kqe?="_ba << u"日本語"_s;
    QTest::newRow("koi8-r") << "=?koi8-r?Q?=F0=D2=C9=D7=C5=D4?="_ba << u"Привет"_s;
    QTest::newRow("plain text kept") << "Hello  world =? no"_ba << u"Hello  world =? no"_s;
    QTest::newRow("bad hex as written") << "=?UTF-8?Q?a=ZZ?="_ba << u"=?UTF-8?Q?a=ZZ?="_s;
    QTest::newRow("invalid utf-8 as written") << "=?UTF-8?B?/w==?="_ba << u"=?UTF-8?B?/w==?="_s;
    QTest::newRow("8-bit in us-ascii as written") << "=?US-ASCII?Q?=E9?="_ba << u"=?US-ASCII?Q?=E9?="_s;
    QTest::newRow("unknown encoding") << "=?UTF-8?X?abc?="_ba << u"=?UTF-8?X?abc?="_s;
}

void TestAddressList::decodeEncodedWords()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QCOMPARE(promail::decodeEncodedWords(text), expected);
}

QTEST_APPLESS_MAIN(TestAddressList)

#include "tst_addresslist.moc"
