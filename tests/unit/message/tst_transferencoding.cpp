// message/transferencoding.h: undoing a body's Content-Transfer-Encoding (RFC 2045 §6) for IMAP
// BINARY (RFC 3516), leniently where RFC 2045 asks readers to be lenient.
#include "message/transferencoding.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestTransferEncoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void base64_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("RFC 4648 §10 foobar") << "Zm9vYmFy"_ba
                                             << "foobar"_ba;
        QTest::newRow("one pad") << "Zm9vYmE="_ba
                                 << "fooba"_ba;
        QTest::newRow("two pads") << "Zm9vYg=="_ba
                                  << "foob"_ba;
        QTest::newRow("no padding at the end") << "Zm9vYg"_ba
                                               << "foob"_ba;
        QTest::newRow("line breaks ignored") << "Zm9v\r\nYmFy\r\n"_ba
                                             << "foobar"_ba;
        QTest::newRow("characters outside the alphabet ignored (RFC 2045 §6.8)") << "Zm9v*YmFy!"_ba
                                                                                 << "foobar"_ba;
        QTest::newRow("NUL and high bytes") << "AP+AAQ=="_ba
                                            << "\x00\xff\x80\x01"_ba;
        QTest::newRow("data after padding ignored") << "Zg==Zm9v"_ba
                                                    << "f"_ba;
        QTest::newRow("a lone final character carries nothing") << "Zm9vY"_ba
                                                                << "foo"_ba;
        QTest::newRow("empty") << ""_ba
                               << ""_ba;
    }

    void base64()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, decoded);
        QCOMPARE(TransferEncoding::decodeBase64(encoded), decoded);
        QCOMPARE(TransferEncoding::decode(encoded, "Base64"), std::optional<QByteArray>(decoded));
    }

    void quotedPrintable_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("plain text") << "Hello\r\n"_ba
                                    << "Hello\r\n"_ba;
        QTest::newRow("escapes") << "caf=C3=A9 =3D\r\n"_ba
                                 << "caf\xc3\xa9 =\r\n"_ba;
        QTest::newRow("lower-case hex accepted") << "=c3=a9"_ba
                                                 << "\xc3\xa9"_ba;
        QTest::newRow("soft line break (RFC 2045 §6.7 rule 5)") << "long=\r\nline\r\n"_ba
                                                                << "longline\r\n"_ba;
        QTest::newRow("soft break after padding") << "long= \t\r\nline"_ba
                                                  << "longline"_ba;
        QTest::newRow("trailing white space removed (rule 3)") << "text  \r\nnext\t\r\n"_ba
                                                               << "text\r\nnext\r\n"_ba;
        QTest::newRow("encoded white space kept") << "text=20\r\n"_ba
                                                  << "text \r\n"_ba;
        QTest::newRow("bare LF line ends") << "a=\nb\nc"_ba
                                           << "ab\r\nc"_ba;
        QTest::newRow("= not followed by hex kept") << "a=ZZb=4"_ba
                                                    << "a=ZZb=4"_ba;
        QTest::newRow("NUL") << "=00x"_ba
                             << "\x00x"_ba;
        QTest::newRow("no final line break") << "end"_ba
                                             << "end"_ba;
    }

    void quotedPrintable()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, decoded);
        QCOMPARE(TransferEncoding::decodeQuotedPrintable(encoded), decoded);
        QCOMPARE(TransferEncoding::decode(encoded, "quoted-printable"), std::optional<QByteArray>(decoded));
    }

    void identityAndUnknown()
    {
        const QByteArray body = "=41 Zm9v\x00\r\n"_ba;
        for (QByteArrayView mechanism : {"7bit", "8BIT", "binary"})
        {
            QVERIFY(TransferEncoding::isIdentity(mechanism));
            QCOMPARE(TransferEncoding::decode(body, mechanism), std::optional<QByteArray>(body));
        }
        QVERIFY(!TransferEncoding::isIdentity("base64"));
        QCOMPARE(TransferEncoding::decode(body, "x-uuencode"), std::nullopt);
        QCOMPARE(TransferEncoding::decode(body, ""), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestTransferEncoding)
#include "tst_transferencoding.moc"
