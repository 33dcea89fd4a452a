// Modified UTF-7 mailbox names (RFC 3501 §5.1.3): the RFC's examples, round trips and every way
// a name can fail to be canonical modified UTF-7.
#include "protocols/imap/modifiedutf7.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestModifiedUtf7 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeAndDecode_data()
    {
        QTest::addColumn<QByteArray>("utf8");
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("ascii") << "INBOX/Sent Items"_ba
                               << "INBOX/Sent Items"_ba;
        QTest::newRow("ampersand") << "Tom & Jerry"_ba
                                   << "Tom &- Jerry"_ba;
        QTest::newRow("empty") << ""_ba
                               << ""_ba;
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語"
        QTest::newRow("rfc3501 example")
            << "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"_ba
            << "~peter/mail/&U,BTFw-/&ZeVnLIqe-"_ba;
        QTest::newRow("latin") << "Entw\xc3\xbc rfe"_ba
                               << "Entw&APw- rfe"_ba;
        QTest::newRow("two characters") << "\xc3\xa9\xc3\xa9"_ba
                                        << "&AOkA6Q-"_ba;
        QTest::newRow("astral") << "\xf0\x9f\x93\xa7"_ba
                                << "&2D3c5w-"_ba;
        QTest::newRow("control character") << "a\tb"_ba
                                           << "a&AAk-b"_ba;
        QTest::newRow("run then ampersand") << "\xc3\xa9&"_ba
                                            << "&AOk-&-"_ba;
    }

    void encodeAndDecode()
    {
        QFETCH(QByteArray, utf8);
        QFETCH(QByteArray, wire);
        QCOMPARE(ModifiedUtf7::encode(utf8), wire);
        QCOMPARE(ModifiedUtf7::decode(wire), std::optional<QByteArray>(utf8));
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("8-bit byte") << "Entw\xc3\xbc"_ba;
        QTest::newRow("control byte") << "a\x01"_ba;
        QTest::newRow("unterminated") << "&AOk"_ba;
        QTest::newRow("lone ampersand") << "a&"_ba;
        QTest::newRow("outside the alphabet") << "&AO/-"_ba;
        QTest::newRow("non-zero padding bits") << "&AOl-"_ba;
        QTest::newRow("padding of a whole character") << "&AOkA-"_ba;
        QTest::newRow("too short for one character") << "&AO-"_ba;
        QTest::newRow("encoded printable ascii") << "&AGE-"_ba;
        QTest::newRow("lone high surrogate") << "&2D0-"_ba;
        QTest::newRow("lone low surrogate") << "&3Oc-"_ba;
        QTest::newRow("two adjacent runs") << "&AOk-&AOk-"_ba;
    }

    void invalid()
    {
        QFETCH(QByteArray, wire);
        QCOMPARE(ModifiedUtf7::decode(wire), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestModifiedUtf7)
#include "tst_modifiedutf7.moc"
