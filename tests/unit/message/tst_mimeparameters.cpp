// message/contenttype.h, contentdisposition.h, mimeparameterlist.h: Content-Type and
// Content-Disposition values (RFC 2045 §5.1, RFC 2183) with RFC 2231 continuations and charsets.
#include "message/contentdisposition.h"
#include "message/contenttype.h"
#include "message/mimeheadercursor.h"
#include "message/mimeparameterlist.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// "name|decoded value|wire value" per parameter, with '*' after the name of an extended one.
QStringList described(const MimeParameterList& list)
{
    QStringList lines;
    for (const MimeParameter& parameter : list.parameters())
    {
        lines.append(QString::fromUtf8(parameter.name) + (parameter.extended ? u"*"_s : QString()) + u'|' +
                     parameter.value + u'|' + QString::fromUtf8(parameter.wireValue));
    }
    return lines;
}

} // namespace

class TestMimeParameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contentType_data();
    void contentType();
    void parameters_data();
    void parameters();
    void lookup();
    void disposition_data();
    void disposition();
    void limits();
};

void TestMimeParameters::contentType_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("subtype");
    QTest::addColumn<QStringList>("parameters");

    QTest::newRow("simple") << "text/plain"_ba << true << "text"_ba
                            << "plain"_ba << QStringList{};
    QTest::newRow("case folded") << "TEXT/Plain; CHARSET=UTF-8"_ba << true << "text"_ba
                                 << "plain"_ba << QStringList{u"charset|UTF-8|UTF-8"_s};
    QTest::newRow("spaces and comments") << "multipart (a) / mixed ; (b) boundary = \"x y\" (c)"_ba << true
                                         << "multipart"_ba
                                         << "mixed"_ba << QStringList{u"boundary|x y|x y"_s};
    QTest::newRow("value with comment") << "text/plain; charset=us-ascii (Plain text)"_ba << true << "text"_ba
                                        << "plain"_ba << QStringList{u"charset|us-ascii|us-ascii"_s};
    QTest::newRow("trailing semicolons") << "text/html;; charset=utf-8;"_ba << true << "text"_ba
                                         << "html"_ba << QStringList{u"charset|utf-8|utf-8"_s};
    QTest::newRow("quoted-pair") << "text/x; a=\"q\\\"uo\\\\te\""_ba << true << "text"_ba
                                 << "x"_ba << QStringList{u"a|q\"uo\\te|q\"uo\\te"_s};
    // RFC 2045 §5.2: a broken media type means text/plain; the parameters are still read.
    QTest::newRow("no subtype") << "text; charset=koi8-r"_ba << false << ""_ba
                                << ""_ba << QStringList{u"charset|koi8-r|koi8-r"_s};
    QTest::newRow("junk after subtype") << "text/plain garbage; charset=x"_ba << false << ""_ba
                                        << ""_ba << QStringList{u"charset|x|x"_s};
    QTest::newRow("empty") << ""_ba << false << ""_ba
                           << ""_ba << QStringList{};
}

void TestMimeParameters::contentType()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, subtype);
    QFETCH(QStringList, parameters);

    const ContentType parsed = ContentType::parse(value);
    QCOMPARE(parsed.valid, valid);
    QCOMPARE(parsed.type, type);
    QCOMPARE(parsed.subtype, subtype);
    QCOMPARE(described(parsed.parameters), parameters);
}

void TestMimeParameters::parameters_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("names lower-cased") << "; Name=a; FILENAME=b"_ba << QStringList{u"name|a|a"_s, u"filename|b|b"_s};
    QTest::newRow("first of a name wins")
        << "; charset=utf-8; charset=latin1"_ba << QStringList{u"charset|utf-8|utf-8"_s};
    QTest::newRow("unquoted with spaces")
        << "; name=my file.pdf; x=y"_ba << QStringList{u"name|my file.pdf|my file.pdf"_s, u"x|y|y"_s};
    // RFC 2047 words in a parameter are wrong (RFC 2047 §5) but common; decoded in `value` only.
    QTest::newRow("encoded-word unquoted")
        << "; name==?UTF-8?B?4oKsLnR4dA==?="_ba << QStringList{u"name|€.txt|=?UTF-8?B?4oKsLnR4dA==?="_s};
    QTest::newRow("encoded-word quoted") << "; name=\"=?iso-8859-1?Q?caf=E9.txt?=\""_ba
                                         << QStringList{u"name|café.txt|=?iso-8859-1?Q?caf=E9.txt?="_s};
    QTest::newRow("broken parameters skipped")
        << "; =x; novalue; a=1; \"q\"=2; b=\"2\" junk; c=3"_ba << QStringList{u"a|1|1"_s, u"b|2|2"_s, u"c|3|3"_s};
    QTest::newRow("unterminated quote") << "; a=\"open"_ba << QStringList{u"a|open|open"_s};
    QTest::newRow("empty quoted") << "; a=\"\""_ba << QStringList{u"a||"_s};

    // RFC 2231 §3: continuations, joined in section order whatever order they come in.
    QTest::newRow("2231 continuation") << "; url*0=\"ftp://\"; url*1=\"example.org/\"; url*2=\"x\""_ba
                                       << QStringList{u"url|ftp://example.org/x|ftp://example.org/x"_s};
    QTest::newRow("2231 out of order") << "; n*1=b; n*2=c; n*0=a"_ba << QStringList{u"n|abc|abc"_s};
    QTest::newRow("2231 gap ends it") << "; n*0=a; n*1=b; n*3=d"_ba << QStringList{u"n|ab|ab"_s};
    QTest::newRow("2231 no section 0") << "; n*1=b; m=1"_ba << QStringList{u"m|1|1"_s};
    // RFC 2231 §4: charset'language'%XX, decoded to Unicode; the wire value stays encoded.
    QTest::newRow("2231 charset") << "; filename*=utf-8''%E2%82%AC%20rates.txt"_ba
                                  << QStringList{u"filename*|€ rates.txt|utf-8''%E2%82%AC%20rates.txt"_s};
    QTest::newRow("2231 language")
        << "; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"_ba
        << QStringList{u"title*|This is ***fun***|us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"_s};
    QTest::newRow("2231 latin1") << "; filename*=iso-8859-1'de'Gr%FC%DFe.txt"_ba
                                 << QStringList{u"filename*|Grüße.txt|iso-8859-1'de'Gr%FC%DFe.txt"_s};
    // RFC 2231 §4.1: encoded and plain sections mixed; plain ones are %-encoded on the wire.
    QTest::newRow("2231 mixed sections")
        << "; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; "
           "title*2=\"isn't it!\""_ba
        << QStringList{u"title*|This is even more ***fun*** isn't it!|us-ascii'en'This%20is%20even%20more%20"
                       u"%2A%2A%2Afun%2A%2A%2A%20isn%27t%20it!"_s};
    QTest::newRow("2231 plain fallback kept")
        << "; filename=\"rates.txt\"; filename*1*=%20x; filename*0*=UTF-8'de'%E2%82%AC"_ba
        << QStringList{u"filename|rates.txt|rates.txt"_s, u"filename*|€ x|UTF-8'de'%E2%82%AC%20x"_s};
    QTest::newRow("2231 without quotes") << "; n*=abc%41"_ba << QStringList{u"n*|abcA|''abc%41"_s};
    QTest::newRow("2231 bad percent kept") << "; n*=utf-8''100%-%4"_ba << QStringList{u"n*|100%-%4|utf-8''100%-%4"_s};
    QTest::newRow("2231 unknown charset") << "; n*=x-unknown''%C3%A9"_ba << QStringList{u"n*|é|x-unknown''%C3%A9"_s};
    QTest::newRow("2231 invalid utf-8 read as latin1") << "; n*=''%E9t%E9"_ba << QStringList{u"n*|été|''%E9t%E9"_s};
}

void TestMimeParameters::parameters()
{
    QFETCH(QByteArray, value);
    QFETCH(QStringList, expected);

    MimeHeaderCursor cursor(value);
    QCOMPARE(described(MimeParameterList::parse(cursor)), expected);
}

void TestMimeParameters::lookup()
{
    const QByteArray value = "; Filename=\"plain.txt\"; filename*=utf-8''%C3%A9.txt; boundary=\"=_a b\""_ba;
    MimeHeaderCursor cursor(value);
    const MimeParameterList list = MimeParameterList::parse(cursor);
    // RFC 2231 §4: the extended value is the better one when both are given.
    QCOMPARE(list.value("FILENAME"), u"é.txt"_s);
    QCOMPARE(list.rawValue("filename"), "\xc3\xa9.txt"_ba);
    QCOMPARE(list.rawValue("boundary"), "=_a b"_ba);
    QVERIFY(list.contains("Boundary"));
    QVERIFY(!list.contains("name"));
    QCOMPARE(list.value("name"), QString());
    QCOMPARE(list.rawValue("name"), QByteArray());
}

void TestMimeParameters::disposition_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QStringList>("parameters");

    QTest::newRow("inline") << "inline"_ba << true << "inline"_ba << QStringList{};
    QTest::newRow("attachment") << "Attachment; filename=\"a b.pdf\"; size=3"_ba << true << "attachment"_ba
                                << QStringList{u"filename|a b.pdf|a b.pdf"_s, u"size|3|3"_s};
    QTest::newRow("comment first") << "(c) inline ;filename=x"_ba << true << "inline"_ba
                                   << QStringList{u"filename|x|x"_s};
    QTest::newRow("continuation") << "attachment; filename*0*=utf-8''%E2%82%AC; filename*1=\".txt\""_ba << true
                                  << "attachment"_ba << QStringList{u"filename*|€.txt|utf-8''%E2%82%AC.txt"_s};
    QTest::newRow("no type") << "; filename=x"_ba << false << ""_ba << QStringList{};
    QTest::newRow("quoted type") << "\"inline\""_ba << false << ""_ba << QStringList{};
    QTest::newRow("empty") << ""_ba << false << ""_ba << QStringList{};
}

void TestMimeParameters::disposition()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, present);
    QFETCH(QByteArray, type);
    QFETCH(QStringList, parameters);

    const std::optional<ContentDisposition> parsed = ContentDisposition::parse(value);
    QCOMPARE(parsed.has_value(), present);
    if (!parsed)
        return;
    QCOMPARE(parsed->type, type);
    QCOMPARE(described(parsed->parameters), parameters);
}

void TestMimeParameters::limits()
{
    QByteArray many = "text/plain"_ba;
    for (int i = 0; i < 150; ++i)
        many += "; p" + QByteArray::number(i) + "=v";
    const ContentType parsed = ContentType::parse(many);
    QCOMPARE(parsed.parameters.parameters().size(), MimeParameterList::kMaxParameters);
    QCOMPARE(parsed.parameters.parameters().last().name, "p99"_ba);

    QByteArray sections = "text/plain"_ba;
    for (int i = 0; i < 1500; ++i)
        sections += "; n*" + QByteArray::number(i) + "=a";
    const ContentType joined = ContentType::parse(sections);
    QCOMPARE(joined.parameters.parameters().size(), 1);
    QCOMPARE(joined.parameters.rawValue("n").size(), MimeParameterList::kMaxSections);
}

QTEST_APPLESS_MAIN(TestMimeParameters)
#include "tst_mimeparameters.moc"
