#include "net/clienthello.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
QByteArray corpus(const char* name)
{
    QFile file(QStringLiteral(PROMAIL_SOURCE_DIR "/tests/fuzz/corpus/fuzz_clienthello/") + QString::fromLatin1(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing corpus file %s", name);
    return file.readAll();
}

QByteArray u16(qsizetype n)
{
    QByteArray bytes;
    bytes.append(char((n >> 8) & 0xff)).append(char(n & 0xff));
    return bytes;
}

QByteArray vec16(const QByteArray& body)
{
    return u16(body.size()) + body;
}

// server_name extension (RFC 6066 §3) with one host_name entry.
QByteArray sniExtension(const QByteArray& host)
{
    return u16(0) + vec16(vec16("\x00"_ba + vec16(host)));
}

// A minimal TLS 1.2 ClientHello handshake message; extensions == "-" means no extensions block.
QByteArray handshake(const QByteArray& extensions)
{
    QByteArray body = "\x03\x03"_ba + QByteArray(32, 'R') + "\x00"_ba + vec16("\x13\x01"_ba) + "\x01\x00"_ba;
    if (extensions != "-"_ba)
        body += vec16(extensions);
    const qsizetype n = body.size();
    return "\x01"_ba + char((n >> 16) & 0xff) + char((n >> 8) & 0xff) + char(n & 0xff) + body;
}

QByteArray record(const QByteArray& fragment)
{
    return "\x16\x03\x01"_ba + u16(fragment.size()) + fragment;
}
} // namespace

class TestClientHello : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverName_data();
    void serverName();
    void everyPrefixOfRealHelloNeedsMore();
};

void TestClientHello::serverName_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected"); // "" = nullopt
    QTest::addColumn<bool>("needMore");

    const QByteArray sni = corpus("hello-sni.bin");
    QTest::newRow("openssl s_client -servername") << sni << u"mail.example.org"_s << false;
    QTest::newRow("openssl s_client -noservername") << corpus("hello-nosni.bin") << QString() << false;
    QTest::newRow("hello fragmented over two records")
        << corpus("hello-sni-two-records.bin") << u"mail.example.org"_s << false;
    QTest::newRow("hello followed by other records")
        << sni + "\x14\x03\x03\x00\x01\x01"_ba << u"mail.example.org"_s << false;
    QTest::newRow("truncated at 100 bytes") << corpus("hello-sni-truncated.bin") << QString() << true;
    QTest::newRow("first record only of two") << corpus("hello-sni-two-records.bin").left(155) << QString() << true;
    QTest::newRow("empty") << QByteArray() << QString() << true;
    QTest::newRow("three header bytes") << "\x16\x03\x01"_ba << QString() << true;
    QTest::newRow("record header only") << sni.left(5) << QString() << true;

    QTest::newRow("HTTP request") << corpus("not-tls-http.bin") << QString() << false;
    QTest::newRow("SSLv2 hello") << "\x80\x2e\x01\x00\x02"_ba << QString() << false;
    QTest::newRow("alert record") << "\x15\x03\x01\x00\x02\x02\x28"_ba << QString() << false;
    QTest::newRow("record version 2.0") << "\x16\x02"_ba << QString() << false;
    QTest::newRow("ServerHello type") << record("\x02"_ba + handshake(sniExtension("a.example")).mid(1)) << QString()
                                      << false;
    QTest::newRow("zero-length record") << "\x16\x03\x01\x00\x00"_ba << QString() << false;
    QTest::newRow("record longer than 2^14") << "\x16\x03\x01\x40\x01"_ba << QString() << false;
    QTest::newRow("hello longer than 16 KiB") << record("\x01\x00\x40\x00"_ba) << QString() << false;

    QTest::newRow("crafted host name is lower-cased")
        << record(handshake(sniExtension("MAIL.Example.ORG"))) << u"mail.example.org"_s << false;
    QTest::newRow("crafted without extensions block") << record(handshake("-")) << QString() << false;
    QTest::newRow("crafted empty extensions block") << record(handshake({})) << QString() << false;
    QTest::newRow("crafted unknown name type skipped")
        << record(handshake(u16(0) + vec16(vec16("\x07"_ba + vec16("x") + "\x00"_ba + vec16("b.example")))))
        << u"b.example"_s << false;

    QTest::newRow("crafted bytes after hello in its record")
        << record(handshake(sniExtension("a.example")) + "\x00"_ba) << QString() << false;
    QTest::newRow("crafted host name with NUL") << record(handshake(sniExtension("a\0b"_ba))) << QString() << false;
    QTest::newRow("crafted host name with trailing dot")
        << record(handshake(sniExtension("a.example."))) << QString() << false;
    QTest::newRow("crafted empty server_name extension") << record(handshake(u16(0) + vec16({}))) << QString() << false;
    QTest::newRow("crafted duplicate server_name")
        << record(handshake(sniExtension("a.example") + sniExtension("b.example"))) << QString() << false;
    QTest::newRow("crafted name list longer than extension")
        << record(handshake(u16(0) + vec16(u16(200) + "\x00"_ba + vec16("a.example")))) << QString() << false;
    QTest::newRow("crafted extension longer than block")
        << record(handshake(u16(0) + u16(500) + "\x00"_ba)) << QString() << false;
    QTest::newRow("crafted odd cipher suite length")
        << record("\x01\x00\x00\x2a\x03\x03"_ba + QByteArray(32, 'R') + "\x00\x00\x03\x13\x01\x13\x01\x00"_ba)
        << QString() << false;
    QTest::newRow("crafted session id longer than 32")
        << record("\x01\x00\x00\x4a\x03\x03"_ba + QByteArray(32, 'R') + "\x21"_ba + QByteArray(33, 'S') +
                  "\x00\x02\x13\x01\x01\x00"_ba)
        << QString() << false;
}

void TestClientHello::serverName()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QFETCH(bool, needMore);

    bool more = !needMore; // must be overwritten
    const std::optional<QString> name = parseClientHelloServerName(bytes, &more);
    QCOMPARE(name.value_or(QString()), expected);
    QCOMPARE(name.has_value(), !expected.isEmpty());
    QCOMPARE(more, needMore);
}

void TestClientHello::everyPrefixOfRealHelloNeedsMore()
{
    const QByteArray hello = corpus("hello-sni.bin");
    QCOMPARE(hello.size(), 322);
    for (qsizetype n = 0; n < hello.size(); ++n)
    {
        bool more = false;
        QVERIFY2(!parseClientHelloServerName(QByteArrayView(hello).first(n), &more), qPrintable(QString::number(n)));
        QVERIFY2(more, qPrintable(QString::number(n)));
    }
    QCOMPARE(inspectClientHello(hello).state, ClientHelloPeek::State::Complete);
}

QTEST_APPLESS_MAIN(TestClientHello)
#include "tst_net_clienthello.moc"
