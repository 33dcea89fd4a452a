// message/messagetext.h: header values and body text decoded for IMAP SEARCH (RFC 2047 words,
// RFC 2045 §6.7/§6.8 transfer encodings, MIME charsets).
#include "message/headerblock.h"
#include "message/messagetext.h"
#include "message/mimeparser.h"
#include "message/transferencoding.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestMessageText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerValue_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("decoded");
        QTest::newRow("plain") << "Hello there"_ba << u"Hello there"_s;
        QTest::newRow("q latin1") << "=?ISO-8859-1?Q?Caf=E9_cr=E8me?="_ba << u"Café crème"_s;
        QTest::newRow("b utf8") << "=?UTF-8?B?R3LDvMOfZQ==?="_ba << u"Grüße"_s;
        QTest::newRow("adjacent words joined") << "=?UTF-8?Q?a?= =?UTF-8?Q?b?= c"_ba << u"ab c"_s;
        QTest::newRow("broken word kept") << "=?UTF-8?Q?=ZZ?="_ba << u"=?UTF-8?Q?=ZZ?="_s;
        QTest::newRow("raw utf8 (RFC 6532)") << "Stra\xc3\x9f"
                                                "e"_ba
                                             << u"Straße"_s;
    }

    void headerValue()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, decoded);
        QCOMPARE(MessageText::headerValue(value), decoded);
    }

    void quotedPrintable_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("octets") << "caf=E9 =3D x"_ba
                                << "caf\xe9 = x"_ba;
        QTest::newRow("lower-case hex") << "=c3=a9"_ba
                                        << "\xc3\xa9"_ba;
        QTest::newRow("soft break crlf") << "long=\r\nline"_ba
                                         << "longline"_ba;
        QTest::newRow("soft break lf and spaces") << "long= \t\nline"_ba
                                                  << "longline"_ba;
        QTest::newRow("hard break kept") << "a\r\nb"_ba
                                         << "a\r\nb"_ba;
        QTest::newRow("broken = kept") << "a=G1b"_ba
                                       << "a=G1b"_ba;
        QTest::newRow("= at the end") << "abc="_ba
                                      << "abc"_ba;
        QTest::newRow("truncated octet") << "abc=4"_ba
                                         << "abc=4"_ba;
    }

    void quotedPrintable()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, decoded);
        QCOMPARE(TransferEncoding::decodeQuotedPrintable(encoded), decoded);
    }

    void transferEncoding_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("base64 with line breaks") << "aGVsbG8g\r\nd29ybGQ=\r\n"_ba
                                                 << "base64"_ba
                                                 << "hello world"_ba;
        QTest::newRow("BASE64 any case") << "aGk="_ba
                                         << "BASE64"_ba
                                         << "hi"_ba;
        QTest::newRow("quoted-printable") << "a=3Db"_ba
                                          << "quoted-printable"_ba
                                          << "a=b"_ba;
        QTest::newRow("8bit untouched") << "a=3Db"_ba
                                        << "8bit"_ba
                                        << "a=3Db"_ba;
    }

    void transferEncoding()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, decoded);
        QCOMPARE(MessageText::decodeTransferEncoding(body, encoding), decoded);
    }

    void body_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("text");
        QTest::newRow("plain us-ascii") << "Subject: x\r\n\r\nHello\r\n"_ba << u"Hello\r\n"_s;
        QTest::newRow("qp latin1") << "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                      "Caf=E9 na=EFve\r\n"_ba
                                   << u"Café naïve\r\n"_s;
        QTest::newRow("base64 utf8") << "Content-Type: text/plain; charset=utf-8\r\n"
                                        "Content-Transfer-Encoding: base64\r\n\r\n"
                                        "R3LDvMOfZSBhdXMgS8O2bG4=\r\n"_ba
                                     << u"Grüße aus Köln"_s;
        QTest::newRow("multipart skips non-text") << "Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
                                                     "--XX\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                                                     "--XX\r\nContent-Type: application/octet-stream\r\n"
                                                     "Content-Transfer-Encoding: base64\r\n\r\naGlkZGVu\r\n"
                                                     "--XX\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
                                                     "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                                     "<p>=E0 bient=F4t</p>\r\n"
                                                     "--XX--\r\n"_ba
                                                  << u"first\n<p>à bientôt</p>"_s;
        QTest::newRow("unknown charset read as utf-8") << "Content-Type: text/plain; charset=x-nonsense\r\n\r\n"
                                                          "\xc3\xa9t\xc3\xa9"_ba
                                                       << u"été"_s;
    }

    void body()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, text);
        QCOMPARE(MessageText::body(message, MimeParser::parse(message)), text);
    }

    void header()
    {
        const QByteArray message = "From: =?UTF-8?Q?J=C3=B6rg?= <j@example.org>\r\nSubject: hi\r\n\r\nbody"_ba;
        QCOMPARE(MessageText::header(HeaderBlock::parse(message)), u"From: Jörg <j@example.org>\nSubject: hi\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestMessageText)
#include "tst_messagetext.moc"
