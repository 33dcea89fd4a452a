// message/imapbodystructure.h, imapenvelope.h, imapaddresslist.h, imapstring.h: FETCH
// BODYSTRUCTURE, BODY and ENVELOPE exactly as RFC 9051 §7.5.2 writes them, for a set of tricky
// messages in tests/fixtures/mime/ (the first two reproduce the RFC's own examples).
#include "message/headerblock.h"
#include "message/imapaddresslist.h"
#include "message/imapbodystructure.h"
#include "message/imapenvelope.h"
#include "message/imapstring.h"
#include "message/mimeparser.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

QByteArray fixture(const QString& name)
{
    QFile file(QStringLiteral(PROMAIL_FIXTURES_DIR "/mime/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QByteArray envelopeOf(const QByteArray& header)
{
    return ImapEnvelope::format(HeaderBlock::parse(header));
}

} // namespace

class TestBodyStructure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data();
    void fixtures();
    void partStructure();
    void imapString_data();
    void imapString();
    void addressList_data();
    void addressList();
    void envelope_data();
    void envelope();
};

void TestBodyStructure::fixtures_data()
{
    QTest::addColumn<QByteArray>("envelope");
    QTest::addColumn<QByteArray>("bodyStructure");
    QTest::addColumn<QByteArray>("body");

    // RFC 9051 §7.5.2 FETCH response example: the ENVELOPE and BODY there, character for character.
    QTest::newRow("rfc9051-text")
        << R"~(("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev2 WG mtg summary and minutes" (("Terry Gray" )~"
           R"~(NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry )~"
           R"~(Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL )~"
           R"~("minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL )~"
           R"~("<B27397-0100000@cac.washington.edu>"))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92 NIL NIL NIL NIL))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))~"_ba;
    // RFC 9051 §7.5.2 BODYSTRUCTURE example; the RFC shows it without extension data, our BODY.
    QTest::newRow("rfc9051-multipart")
        << R"~(("Tue, 23 Jul 1996 16:34:07 -0700" "cc.diff" (("Terry Gray" NIL "gray" "cac.washington.edu")) )~"
           R"~((("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" )~"
           R"~("cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) NIL NIL NIL NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler )~"
           R"~(diff" "BASE64" 4554 73 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "=_960723163407.20117") NIL NIL )~"
           R"~(NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" )~"
           R"~("US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" )~"
           R"~("BASE64" 4554 73) "MIXED"))~"_ba;
    // RFC 2045 §5.2: no Content-Type means text/plain; charset=us-ascii.
    QTest::newRow("no-content-type")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "plain old mail" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<plain.1@example.org>"))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 27 2 NIL NIL NIL NIL))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 27 2))~"_ba;
    // Boundary full of specials (RFC 2046 §5.1.1 bchars), QP part, no preamble.
    QTest::newRow("alternative")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "alternative" (("Alice Example" NIL "alice" "example.org")) )~"
           R"~((("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) )~"
           R"~((("Bob" NIL "bob" "example.org")) NIL NIL NIL "<alt.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "QUOTED-PRINTABLE" 15 0 NIL NIL )~"
           R"~(NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 19 0 NIL NIL NIL NIL) "ALTERNATIVE" )~"
           R"~(("BOUNDARY" "b1:=?'()+_,-./") NIL NIL NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "QUOTED-PRINTABLE" 15 0)("TEXT" )~"
           R"~("HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 19 0) "ALTERNATIVE"))~"_ba;
    // mixed > alternative > related (html + inline image), then an attachment; preamble, epilogue.
    QTest::newRow("nested-mixed")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "nested" ((NIL NIL "alice" "example.org")) ((NIL NIL "alice" )~"
           R"~("example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL )~"
           R"~("<nested.1@example.org>"))~"_ba
        << R"~(((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 16 0 NIL NIL NIL NIL)(("TEXT" "HTML" )~"
           R"~(("CHARSET" "us-ascii") NIL NIL "7BIT" 31 0 NIL NIL NIL NIL)("IMAGE" "PNG" ("NAME" "pic.png") )~"
           R"~("<pic@example.org>" NIL "BASE64" 12 NIL ("INLINE" ("FILENAME" "pic.png")) NIL NIL) "RELATED" )~"
           R"~(("BOUNDARY" "rel" "TYPE" "text/html") NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL )~"
           R"~(NIL)("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 8 NIL ("ATTACHMENT" )~"
           R"~(("FILENAME" "report.pdf" "SIZE" "6")) NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL))~"_ba
        << R"~(((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 16 0)(("TEXT" "HTML" ("CHARSET" )~"
           R"~("us-ascii") NIL NIL "7BIT" 31 0)("IMAGE" "PNG" ("NAME" "pic.png") "<pic@example.org>" NIL )~"
           R"~("BASE64" 12) "RELATED") "ALTERNATIVE")("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL )~"
           R"~("BASE64" 8) "MIXED"))~"_ba;
    // message/rfc822 part: envelope and structure of the embedded multipart, lines of the whole.
    QTest::newRow("rfc822-attachment")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "Fwd: inner" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<fwd.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 18 1 NIL NIL NIL NIL)("MESSAGE" )~"
           R"~("RFC822" NIL NIL NIL "7BIT" 343 ("Sun, 31 Dec 2023 09:00:00 +0100" "inner" (("Carol" NIL )~"
           R"~("carol" "example.net")) (("Carol" NIL "carol" "example.net")) (("Carol" NIL "carol" )~"
           R"~("example.net")) ((NIL NIL "alice" "example.org")) NIL NIL "<older@example.net>" )~"
           R"~("<inner.1@example.net>") (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2 0 NIL NIL )~"
           R"~(NIL NIL)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 9 0 NIL NIL NIL NIL) )~"
           R"~("ALTERNATIVE" ("BOUNDARY" "in") NIL NIL NIL) 18 NIL ("ATTACHMENT" ("FILENAME" "inner.eml")) )~"
           R"~(NIL NIL) "MIXED" ("BOUNDARY" "fwd") NIL NIL NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 18 1)("MESSAGE" "RFC822" NIL NIL NIL )~"
           R"~("7BIT" 343 ("Sun, 31 Dec 2023 09:00:00 +0100" "inner" (("Carol" NIL "carol" "example.net")) )~"
           R"~((("Carol" NIL "carol" "example.net")) (("Carol" NIL "carol" "example.net")) ((NIL NIL "alice" )~"
           R"~("example.org")) NIL NIL "<older@example.net>" "<inner.1@example.net>") (("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 2 0)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" )~"
           R"~(9 0) "ALTERNATIVE") 18) "MIXED"))~"_ba;
    // RFC 2231 §3-§4: charset/language, continuations out of order, plain fallback, §3 URL example.
    QTest::newRow("rfc2231")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "rfc2231" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<2231.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "TITLE*" )~"
           R"~("us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A") NIL NIL "7BIT" 4 0 NIL NIL NIL )~"
           R"~(NIL)("APPLICATION" "OCTET-STREAM" ("NAME*" "utf-8''%E2%82%AC%20rates%20for%202024.txt") NIL )~"
           R"~(NIL "BASE64" 4 NIL ("ATTACHMENT" ("FILENAME" "rates.txt" "FILENAME*" )~"
           R"~("UTF-8'de'%E2%82%AC%20for%202024.txt")) NIL NIL)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" )~"
           R"~("long-name.txt") NIL NIL "7BIT" 5 0 NIL NIL NIL NIL)("MESSAGE" "EXTERNAL-BODY" ("ACCESS-TYPE" )~"
           R"~("URL" "URL" "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar") NIL NIL "7BIT" 33 NIL )~"
           R"~(NIL NIL NIL) "MIXED" ("BOUNDARY" "x") NIL NIL NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "TITLE*" )~"
           R"~("us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A") NIL NIL "7BIT" 4 0)("APPLICATION" )~"
           R"~("OCTET-STREAM" ("NAME*" "utf-8''%E2%82%AC%20rates%20for%202024.txt") NIL NIL "BASE64" )~"
           R"~(4)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "long-name.txt") NIL NIL "7BIT" 5 0)("MESSAGE" )~"
           R"~("EXTERNAL-BODY" ("ACCESS-TYPE" "URL" "URL" )~"
           R"~("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar") NIL NIL "7BIT" 33) "MIXED"))~"_ba;
    // RFC 6532 raw UTF-8 in header fields: literals, since IMAP4rev1 quoted strings are 7-bit.
    QTest::newRow("utf8-header") << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" {20})~"
                                    "\r\n"
                                    R"~(Grüße aus München (({13})~"
                                    "\r\n"
                                    R"~(Jörg Müller NIL "joerg" "example.de")) (({13})~"
                                    "\r\n"
                                    R"~(Jörg Müller NIL "joerg" "example.de")) (({13})~"
                                    "\r\n"
                                    R"~(Jörg Müller NIL "joerg" "example.de")) (({4})~"
                                    "\r\n"
                                    R"~(Zoë NIL "zoe" "example.org")) NIL NIL NIL "<utf8.1@example.de>"))~"_ba
                                 << R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL {7})~"
                                    "\r\n"
                                    R"~(Größe "8BIT" 10 1 NIL NIL NIL NIL))~"_ba
                                 << R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL {7})~"
                                    "\r\n"
                                    R"~(Größe "8BIT" 10 1))~"_ba;
    // No closing delimiter: the last part runs to the end of the message.
    QTest::newRow("no-closing-boundary")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "truncated" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<trunc.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 0 NIL NIL NIL NIL)("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 35 1 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "cut") NIL NIL )~"
           R"~(NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 0)("TEXT" "PLAIN" ("CHARSET" )~"
           R"~("US-ASCII") NIL NIL "7BIT" 35 1) "MIXED"))~"_ba;
    // Boundary lookalikes in preamble and epilogue, transport padding after a delimiter.
    QTest::newRow("boundary-in-preamble")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "tricky boundaries" ((NIL NIL "alice" "example.org")) ((NIL )~"
           R"~(NIL "alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) )~"
           R"~(NIL NIL NIL "<tricky.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 51 0 NIL NIL NIL NIL)("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 0 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "==b") NIL NIL )~"
           R"~(NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 51 0)("TEXT" "PLAIN" ("CHARSET" )~"
           R"~("US-ASCII") NIL NIL "7BIT" 8 0) "MIXED"))~"_ba;
    // Nothing after the empty line; an empty Subject is "" not NIL.
    QTest::newRow("empty-body")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "" ((NIL NIL "alice" "example.org")) ((NIL NIL "alice" )~"
           R"~("example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL )~"
           R"~("<empty.1@example.org>"))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0))~"_ba;
    // Groups, an empty group, comment-as-name, source route, quoted local part, no domain.
    QTest::newRow("group-address")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "=?utf-8?q?group_test?=" (("Bob Example" NIL "bob" )~"
           R"~("example.org")) ((NIL "@relay.example.net,@gw.example.net" "agent" "example.net")) (("Smith, )~"
           R"~(John Q." NIL "john smith" "example.com")) ((NIL NIL "Team" NIL)(NIL NIL "alice" )~"
           R"~("example.org")("Carol C." NIL "carol" "example.net")(NIL NIL NIL NIL)(NIL NIL "dave" )~"
           R"~("example.com")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) ((NIL NIL "root" )~"
           R"~("MISSING_DOMAIN")) "<a@example.org> <b@example.org>" "<group.1@example.org>"))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1 NIL NIL NIL NIL))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1))~"_ba;
    // body-fld-lang as list and as single string, body-fld-loc, Content-MD5, quoted description.
    QTest::newRow("content-language")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "languages" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<lang.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL "\"Greetings\"" "7BIT" 21 2 )~"
           R"~("Q2hlY2sgSW50ZWdyaXR5IQ==" ("INLINE" ("FILENAME" "hello.txt")) ("en" "de" "fr-CA") )~"
           R"~("http://example.org/hello.txt")("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 9 0 NIL )~"
           R"~(NIL "de" NIL) "MIXED" ("BOUNDARY" "L") NIL "en" "http://example.org/msg"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL "\"Greetings\"" "7BIT" 21 2)("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 9 0) "MIXED"))~"_ba;
    // multipart without a boundary parameter: reported as a text/plain leaf.
    QTest::newRow("missing-boundary")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "no boundary" ((NIL NIL "alice" "example.org")) ((NIL NIL )~"
           R"~("alice" "example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL )~"
           R"~(NIL NIL "<nob.1@example.org>"))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 62 5 NIL NIL NIL NIL))~"_ba
        << R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 62 5))~"_ba;
    // RFC 2046 §5.1.5: parts of a digest default to message/rfc822.
    QTest::newRow("digest")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "digest" ((NIL NIL "list" "example.org")) ((NIL NIL "list" )~"
           R"~("example.org")) ((NIL NIL "list" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL )~"
           R"~("<digest.1@example.org>"))~"_ba
        << R"~((("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 44 (NIL "first" ((NIL NIL "one" "example.org")) ((NIL )~"
           R"~(NIL "one" "example.org")) ((NIL NIL "one" "example.org")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL)("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 0 NIL NIL NIL NIL) "DIGEST" ("BOUNDARY" "d") NIL NIL )~"
           R"~(NIL))~"_ba
        << R"~((("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 44 (NIL "first" ((NIL NIL "one" "example.org")) ((NIL )~"
           R"~(NIL "one" "example.org")) ((NIL NIL "one" "example.org")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" )~"
           R"~(("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 0) 3)("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL )~"
           R"~("7BIT" 13 0) "DIGEST"))~"_ba;
    // Bare LF line ends: sizes and lines count what is there.
    QTest::newRow("lf-endings")
        << R"~(("Mon, 1 Jan 2024 10:00:00 +0000" "lf" ((NIL NIL "alice" "example.org")) ((NIL NIL "alice" )~"
           R"~("example.org")) ((NIL NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL )~"
           R"~("<lf.1@example.org>"))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 18 2 NIL NIL NIL NIL)("APPLICATION" )~"
           R"~("OCTET-STREAM" NIL NIL NIL "7BIT" 3 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "z") NIL NIL NIL))~"_ba
        << R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 18 2)("APPLICATION" "OCTET-STREAM" NIL )~"
           R"~(NIL NIL "7BIT" 3) "MIXED"))~"_ba;
}

void TestBodyStructure::fixtures()
{
    QFETCH(QByteArray, envelope);
    QFETCH(QByteArray, bodyStructure);
    QFETCH(QByteArray, body);

    const QByteArray message = fixture(QString::fromLatin1(QTest::currentDataTag()) + u".eml"_s);
    QVERIFY(!message.isEmpty());
    const MimeTree tree = MimeParser::parse(message);
    QCOMPARE(envelopeOf(message), envelope);
    QCOMPARE(ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::BodyStructure), bodyStructure);
    QCOMPARE(ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::Body), body);
}

// The structure of one part, as FETCH BODYSTRUCTURE of an embedded message's part needs it.
void TestBodyStructure::partStructure()
{
    const QByteArray message = fixture(u"rfc822-attachment.eml"_s);
    const MimeTree tree = MimeParser::parse(message);
    const int embedded = tree.partForSection({2, 1});
    QCOMPARE(embedded, 4);
    QCOMPARE(ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::BodyStructure, embedded),
             R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2 0 NIL NIL NIL NIL))~"_ba);
    QCOMPARE(ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::Body, 3),
             R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2 0)("TEXT" "HTML" ("CHARSET" )~"
             R"~("US-ASCII") NIL NIL "7BIT" 9 0) "ALTERNATIVE"))~"_ba);
}

void TestBodyStructure::imapString_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("literal");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << "hello world"_ba << false << R"~("hello world")~"_ba;
    QTest::newRow("empty") << ""_ba << false << R"~("")~"_ba;
    QTest::newRow("quoted-specials") << R"~(a "b" c\d)~"_ba << false << R"~("a \"b\" c\\d")~"_ba;
    QTest::newRow("control chars stay quoted") << "a\tb\x01"_ba << false << "\"a\tb\x01\""_ba;
    QTest::newRow("8-bit") << "caf\xc3\xa9"_ba << true << "{5}\r\ncaf\xc3\xa9"_ba;
    QTest::newRow("CR") << "a\rb"_ba << true << "{3}\r\na\rb"_ba;
    QTest::newRow("LF") << "a\nb"_ba << true << "{3}\r\na\nb"_ba;
    QTest::newRow("NUL dropped") << QByteArray("a\0b", 3) << false << R"~("ab")~"_ba;
    QTest::newRow("NUL dropped in literal") << QByteArray("\xc3\0", 2) << true << "{1}\r\n\xc3"_ba;
    QTest::newRow("at the limit") << QByteArray(ImapString::kMaxQuotedLength, 'a') << false
                                  << '"' + QByteArray(ImapString::kMaxQuotedLength, 'a') + '"';
    QTest::newRow("past the limit") << QByteArray(ImapString::kMaxQuotedLength + 1, 'a') << true
                                    << "{1025}\r\n"_ba + QByteArray(ImapString::kMaxQuotedLength + 1, 'a');
}

void TestBodyStructure::imapString()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, literal);
    QFETCH(QByteArray, expected);

    const QByteArray clean = QByteArray(text).replace('\0', QByteArray());
    QCOMPARE(ImapString::formFor(clean) == ImapString::Form::Literal, literal);
    QCOMPARE(ImapString::string(text), expected);
    QCOMPARE(ImapString::nstring(text), expected);
    QCOMPARE(ImapString::nstring(std::nullopt), "NIL"_ba);
}

void TestBodyStructure::addressList_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("addr-spec") << "alice@example.org"_ba
                               << R"~(((NIL NIL "alice" "example.org")))~"_ba;
    QTest::newRow("name-addr") << "Alice Example <alice@example.org>"_ba
                               << R"~((("Alice Example" NIL "alice" "example.org")))~"_ba;
    QTest::newRow("quoted name, comments dropped") << R"~("Example, Alice" (work) <alice@example.org> (x))~"_ba
                                                   << R"~((("Example, Alice" NIL "alice" "example.org")))~"_ba;
    QTest::newRow("quoted-pair in name") << R"~("A \"B\" C" <a@x>)~"_ba
                                         << R"~((("A \"B\" C" NIL "a" "x")))~"_ba;
    QTest::newRow("encoded-word kept") << "=?utf-8?q?J=C3=B6rg?= <j@x>"_ba
                                       << R"~((("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x")))~"_ba;
    QTest::newRow("obs-phrase dot") << "John Q. Public <jqp@x>"_ba
                                    << R"~((("John Q. Public" NIL "jqp" "x")))~"_ba;
    QTest::newRow("comment as name") << "bob@example.org (Bob Example)"_ba
                                     << R"~((("Bob Example" NIL "bob" "example.org")))~"_ba;
    QTest::newRow("nested comment") << "bob@x (Bob (the builder))"_ba
                                    << R"~((("Bob (the builder)" NIL "bob" "x")))~"_ba;
    QTest::newRow("quoted local part") << R"~("john smith"@example.com)~"_ba
                                       << R"~(((NIL NIL "john smith" "example.com")))~"_ba;
    QTest::newRow("domain literal") << "a@[192.0.2.1]"_ba
                                    << R"~(((NIL NIL "a" "[192.0.2.1]")))~"_ba;
    QTest::newRow("source route") << "<@a.example,@b.example:c@d.example>"_ba
                                  << R"~(((NIL "@a.example,@b.example" "c" "d.example")))~"_ba;
    QTest::newRow("no domain") << "root"_ba
                               << R"~(((NIL NIL "root" "MISSING_DOMAIN")))~"_ba;
    QTest::newRow("no domain in angle") << "Root <root>"_ba
                                        << R"~((("Root" NIL "root" "MISSING_DOMAIN")))~"_ba;
    QTest::newRow("list") << "a@x, B <b@y>,,c@z"_ba
                          << R"~(((NIL NIL "a" "x")("B" NIL "b" "y")(NIL NIL "c" "z")))~"_ba;
    QTest::newRow("semicolon separated") << "a@x; b@y"_ba
                                         << R"~(((NIL NIL "a" "x")(NIL NIL "b" "y")))~"_ba;
    // RFC 9051 §7.5.2: group start (NIL NIL name NIL), members, group end (NIL NIL NIL NIL).
    QTest::newRow("group") << "Team: a@x, B <b@y>;, c@z"_ba
                           << R"~(((NIL NIL "Team" NIL)(NIL NIL "a" "x")("B" NIL "b" "y")(NIL NIL NIL NIL))~"
                              R"~((NIL NIL "c" "z")))~"_ba;
    QTest::newRow("empty group") << "undisclosed-recipients:;"_ba
                                 << R"~(((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)))~"_ba;
    QTest::newRow("unterminated group") << "G: a@x"_ba
                                        << R"~(((NIL NIL "G" NIL)(NIL NIL "a" "x")(NIL NIL NIL NIL)))~"_ba;
    QTest::newRow("8-bit name") << "J\xc3\xb6rg <j@x>"_ba
                                << "(({5}\r\nJ\xc3\xb6rg NIL \"j\" \"x\"))"_ba;
    QTest::newRow("broken element skipped") << "<<a@x>>, b@y, two words"_ba
                                            << R"~(((NIL NIL "b" "y")))~"_ba;
    QTest::newRow("empty") << ""_ba
                           << "NIL"_ba;
    QTest::newRow("only junk") << "Undisclosed recipients"_ba
                               << "NIL"_ba;
    QTest::newRow("null path") << "<>"_ba
                               << "NIL"_ba;
}

void TestBodyStructure::addressList()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);

    QCOMPARE(ImapAddressList::format(ImapAddressList::parse(value)), expected);
}

void TestBodyStructure::envelope_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty header") << ""_ba
                                  << "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"_ba;
    // RFC 9051 §7.5.2: Sender and Reply-To default to From when absent or empty.
    QTest::newRow("sender and reply-to given")
        << "From: a@x\r\nSender: s@x\r\nReply-To: r@x\r\nBcc: b@x\r\n\r\n"_ba
        << R"~((NIL NIL ((NIL NIL "a" "x")) ((NIL NIL "s" "x")) ((NIL NIL "r" "x")) NIL NIL ((NIL NIL "b" "x")) )~"
           R"~(NIL NIL))~"_ba;
    QTest::newRow("empty sender and reply-to") << "From: a@x\r\nSender:\r\nReply-To: (nobody)\r\n\r\n"_ba
                                               << R"~((NIL NIL ((NIL NIL "a" "x")) ((NIL NIL "a" "x")) )~"
                                                  R"~(((NIL NIL "a" "x")) NIL NIL NIL NIL NIL))~"_ba;
    QTest::newRow("no from") << "Sender: s@x\r\n\r\n"_ba
                             << R"~((NIL NIL NIL ((NIL NIL "s" "x")) NIL NIL NIL NIL NIL NIL))~"_ba;
    // Raw values: folding removed, encoded-words and quotes as written, first field wins.
    QTest::newRow("raw values") << "Subject: =?utf-8?q?a?= \"b\"\r\n  c\\d\r\nSubject: second\r\nMESSAGE-ID: "
                                   "<m@x>\r\nin-reply-to: <p@x> (c)\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n"_ba
                                << R"~(("Mon, 1 Jan 2024 00:00:00 +0000" "=?utf-8?q?a?= \"b\"  c\\d" NIL NIL NIL NIL )~"
                                   R"~(NIL NIL "<p@x> (c)" "<m@x>"))~"_ba;
    QTest::newRow("empty subject") << "Subject:\r\n\r\n"_ba
                                   << R"~((NIL "" NIL NIL NIL NIL NIL NIL NIL NIL))~"_ba;
}

void TestBodyStructure::envelope()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, expected);

    QCOMPARE(envelopeOf(header), expected);
}

QTEST_APPLESS_MAIN(TestBodyStructure)
#include "tst_bodystructure.moc"
