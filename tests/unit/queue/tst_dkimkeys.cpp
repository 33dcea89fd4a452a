// DKIM keys (RSA 1024-4096, Ed25519): generation, PEM round trip, refused input, and signatures
// that dkimpy (Debian's python3-dkim, an independent verifier) accepts — for 8-bit bodies, long
// lines and folded headers — and rejects once the message is changed.
#include "queue/dkimkey.h"
#include "queue/dkimsigner.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
// dkimpy is a Debian package: the system interpreter has it, a pyenv one on PATH may not.
const QString kPython = u"/usr/bin/python3"_s;

// Verifies signature number `index` of `message` with dkimpy, the DNS answered from `records`
// ("selector._domainkey.domain" → TXT value). Prints True, False (a bad signature) or
// "False: " and the reason dkimpy gives.
const QString kVerifyScript = uR"(
import json, sys, dkim
records = json.loads(sys.argv[1])
message = sys.stdin.buffer.read()
def dns(name, timeout=5):
    return records.get(name.decode().rstrip('.'), '').encode() or None
d = dkim.DKIM(message, minkey=1024)
try:
    print(d.verify(idx=int(sys.argv[2]), dnsfunc=dns))
except dkim.DKIMException as e:
    print('False: ' + str(e).split(' (')[0])
)"_s;

QString dkimpy(const QByteArray& message, const QJsonObject& records, int index = 0)
{
    QProcess python;
    python.start(kPython,
                 {u"-c"_s, kVerifyScript, QString::fromUtf8(QJsonDocument(records).toJson()), QString::number(index)});
    if (!python.waitForStarted())
        return u"cannot start "_s + kPython;
    python.write(message);
    python.closeWriteChannel();
    python.waitForFinished(60000);
    return QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError()).trimmed();
}

DkimKey generated(DkimAlgorithm algorithm, int bits = DkimKey::kDefaultRsaBits)
{
    auto key = DkimKey::generate(algorithm, bits);
    if (!key)
        qFatal("cannot generate a key: %s", qPrintable(key.error().message));
    return *key;
}

QByteArray pemOf(EVP_PKEY* key, bool publicOnly)
{
    BIO* bio = BIO_new(BIO_s_mem());
    if (publicOnly)
        PEM_write_bio_PUBKEY(bio, key);
    else
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, size);
    BIO_free(bio);
    return pem;
}

QByteArray longLine()
{
    QByteArray line;
    for (int i = 0; i < 120; ++i)
        line += "word" + QByteArray::number(i) + ' ';
    return line; // ~800 bytes, well past 78 columns
}

const QByteArray kPlain = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Hello\r\n"
                          "Date: Tue, 08 Dec 2026 01:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\n"
                          "Hello Bob.\r\n"_ba;
} // namespace

class TestDkimKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(dkimpy("From: a@b\r\n\r\n"_ba, {}), u"False"_s); // dkimpy is there and answers
    }

    void generateRsa_data()
    {
        QTest::addColumn<int>("bits");
        QTest::newRow("1024") << 1024;
        QTest::newRow("2048") << 2048;
        QTest::newRow("4096") << 4096;
    }

    void generateRsa()
    {
        QFETCH(int, bits);
        const DkimKey key = generated(DkimAlgorithm::Rsa, bits);
        QCOMPARE(key.algorithm(), DkimAlgorithm::Rsa);
        QCOMPARE(key.bits(), bits);
        QVERIFY(key.dnsRecord().startsWith(u"v=DKIM1; k=rsa; p=MI"_s)); // DER SubjectPublicKeyInfo
        QVERIFY(!key.dnsRecord().contains(u'"') && !key.dnsRecord().contains(u'\n'));
        const auto reloaded = DkimKey::fromText(key.privateKeyPem());
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded->dnsRecord(), key.dnsRecord());
        QCOMPARE(reloaded->bits(), bits);
    }

    void generateEd25519()
    {
        const DkimKey key = generated(DkimAlgorithm::Ed25519);
        QCOMPARE(key.algorithm(), DkimAlgorithm::Ed25519);
        QVERIFY(key.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
        QCOMPARE(key.publicKeyBase64().size(), 44); // 32 bytes, RFC 8463 §4.2
        const auto reloaded = DkimKey::fromText(key.privateKeyPem());
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded->dnsRecord(), key.dnsRecord());
    }

    void refusedKeys_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        EVP_PKEY* small = EVP_RSA_gen(512);
        EVP_PKEY* rsa = EVP_RSA_gen(1024);
        EVP_PKEY* ec = EVP_EC_gen("P-256");
        QTest::newRow("512-bit RSA") << pemOf(small, false)
                                     << u"the RSA key has 512 bits; DKIM keys have 1024 to 4096"_s;
        QTest::newRow("public key") << pemOf(rsa, true) << u"this is a public key; import the private key"_s;
        QTest::newRow("EC key") << pemOf(ec, false) << u"a DKIM key is RSA or Ed25519"_s;
        QTest::newRow("garbage PEM") << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"_ba
                                     << u"not a readable PEM private key (an encrypted key needs its passphrase "
                                        "removed first)"_s;
        QTest::newRow("short seed") << "AAAA"_ba
                                    << u"expected a PEM private key or the base64 of a 32-byte Ed25519 seed"_s;
        QTest::newRow("empty") << QByteArray()
                               << u"expected a PEM private key or the base64 of a 32-byte Ed25519 seed"_s;
        EVP_PKEY_free(small);
        EVP_PKEY_free(rsa);
        EVP_PKEY_free(ec);
    }

    void refusedKeys()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto key = DkimKey::fromText(text);
        QVERIFY(!key.ok());
        QCOMPARE(key.error().code, ErrorCode::Invalid);
        QCOMPARE(key.error().field, u"private_key"_s);
        QCOMPARE(key.error().message, message);
    }

    void refusedSizes()
    {
        for (const int bits : {512, 1023, 4097, 8192})
        {
            const auto key = DkimKey::generate(DkimAlgorithm::Rsa, bits);
            QVERIFY(!key.ok());
            QCOMPARE(key.error().field, u"bits"_s);
            QCOMPARE(key.error().message, u"an RSA DKIM key has 1024 to 4096 bits"_s);
        }
    }

    void dkimpyVerifies_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("plain") << kPlain;
        QTest::newRow("8-bit body") << "From: Zoë <zoe@example.org>\r\nTo: bob@example.net\r\nSubject: caf\xc3\xa9\r\n"
                                       "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                       "Content-Transfer-Encoding: 8bit\r\n\r\n"
                                       "Gr\xc3\xbc\xc3\x9f"
                                       "e aus K\xc3\xb6ln, \xe6\x97\xa5\xe6\x9c\xac.  \t\r\n\r\n\r\n"_ba;
        QTest::newRow("long lines") << "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: " + longLine() +
                                           "\r\n\r\n" + longLine() + "\r\n" + longLine() + "\r\n"_ba;
        QTest::newRow("folded headers")
            << "From: Alice\r\n  <alice@example.org>\r\nTo: bob@example.net,\r\n\tcarol@example.net,\r\n"
               "   dave@example.net\r\nSubject: a subject\r\n\t folded  twice\r\n  and again\r\n"
               "Content-Type: multipart/mixed;\r\n boundary=\"b1\"\r\n\r\n--b1\r\n\r\npart\r\n--b1--\r\n"_ba;
        QTest::newRow("no body") << "From: alice@example.org\r\nSubject: empty\r\n\r\n"_ba;
        QTest::newRow("two From") << "From: alice@example.org\r\nFrom: carol@example.org\r\nSender: "
                                     "alice@example.org\r\nSubject: x\r\n\r\nbody\r\n"_ba;
        QTest::newRow("list") << "From: list@example.org\r\nTo: members@example.org\r\nList-Id: <l.example.org>\r\n"
                                 "List-Unsubscribe: <mailto:leave@example.org>\r\nSubject: [l] news\r\n\r\nnews\r\n"_ba;
    }

    // Each message signed twice, RSA then Ed25519, each verified by dkimpy on its own; then the
    // body is changed and both fail.
    void dkimpyVerifies()
    {
        QFETCH(QByteArray, message);
        const DkimSigningKey rsa{u"example.org"_s, u"promail-0a1b2c3d-202612"_s, generated(DkimAlgorithm::Rsa)};
        const DkimSigningKey ed{u"example.org"_s, u"promail-0a1b2c3d-202612e"_s, generated(DkimAlgorithm::Ed25519)};
        const QJsonObject records{{u"promail-0a1b2c3d-202612._domainkey.example.org"_s, rsa.key.dnsRecord()},
                                  {u"promail-0a1b2c3d-202612e._domainkey.example.org"_s, ed.key.dnsRecord()}};
        const auto edField = DkimSigner::sign(ed, message, QDateTime::currentSecsSinceEpoch());
        const auto rsaField = DkimSigner::sign(rsa, message, QDateTime::currentSecsSinceEpoch());
        QVERIFY(edField.ok() && rsaField.ok());
        const QByteArray signedMessage = *rsaField + *edField + message;
        QCOMPARE(dkimpy(signedMessage, records, 0), u"True"_s);
        QCOMPARE(dkimpy(signedMessage, records, 1), u"True"_s);

        QByteArray changed = signedMessage;
        changed.append("one more line\r\n");
        QCOMPARE(dkimpy(changed, records, 0), u"False: body hash mismatch"_s);
        QCOMPARE(dkimpy(changed, records, 1), u"False: body hash mismatch"_s);

        // Over-signing: a second From added on the way breaks the signature.
        const QByteArray added = "From: mallory@example.net\r\n" + signedMessage;
        QCOMPARE(dkimpy(added, records, 0), u"False"_s);
    }

    // A 1024-bit key still verifies (RFC 8301 §3.2 minimum); a wrong public key does not.
    void wrongKeyFails()
    {
        const DkimSigningKey key{u"example.org"_s, u"s1"_s, generated(DkimAlgorithm::Rsa, 1024)};
        const auto field = DkimSigner::sign(key, kPlain, QDateTime::currentSecsSinceEpoch());
        QVERIFY(field.ok());
        QCOMPARE(dkimpy(*field + kPlain, {{u"s1._domainkey.example.org"_s, key.key.dnsRecord()}}), u"True"_s);
        const DkimKey other = generated(DkimAlgorithm::Rsa, 1024);
        QCOMPARE(dkimpy(*field + kPlain, {{u"s1._domainkey.example.org"_s, other.dnsRecord()}}), u"False"_s);
    }
};

QTEST_GUILESS_MAIN(TestDkimKeys)
#include "tst_dkimkeys.moc"
