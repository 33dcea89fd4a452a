// DKIM canonicalization (RFC 6376 §3.4, with the examples of §3.4.5), the h= selection and the
// signature field, checked against the published example of RFC 8463 Appendix A.
#include "message/headerblock.h"
#include "queue/dkimcanonicalization.h"
#include "queue/dkimkey.h"
#include "queue/dkimsigner.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
// RFC 8463 Appendix A.2 (the Ed25519 key) and A.3 (the message it signs).
const QByteArray kRfc8463Seed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="_ba;
const QByteArray kRfc8463Message = "From: Joe SixPack <joe@football.example.com>\r\n"
                                   "To: Suzie Q <suzie@shopping.example.net>\r\n"
                                   "Subject: Is dinner ready?\r\n"
                                   "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
                                   "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
                                   "\r\n"
                                   "Hi.\r\n"
                                   "\r\n"
                                   "We lost the game.  Are you hungry yet?\r\n"
                                   "\r\n"
                                   "Joe.\r\n"_ba;
const QByteArray kRfc8463SignatureWithoutB = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
                                             " d=football.example.com; i=@football.example.com;\r\n"
                                             " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
                                             " subject : date : message-id : from : subject : date;\r\n"
                                             " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                                             " b="_ba;

QByteArray canonicalBody(DkimCanonicalization mode, const QByteArray& body, qsizetype chunk)
{
    DkimBodyCanonicalizer canonicalizer(mode);
    QByteArray out;
    for (qsizetype at = 0; at < body.size(); at += chunk)
        canonicalizer.add(QByteArrayView(body).sliced(at, std::min(chunk, body.size() - at)), out);
    canonicalizer.finish(out);
    return out;
}

DkimKey rfc8463Key()
{
    auto key = DkimKey::fromText(kRfc8463Seed);
    if (!key)
        qFatal("cannot load the RFC 8463 key: %s", qPrintable(key.error().message));
    return *key;
}
} // namespace

class TestDkimSigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerCanonicalization_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("simple");
        QTest::addColumn<QByteArray>("relaxed");
        // RFC 6376 §3.4.5.
        QTest::newRow("A") << "A: X\r\n"_ba
                           << "A: X\r\n"_ba
                           << "a:X\r\n"_ba;
        QTest::newRow("B folded") << "B : Y\t\r\n\tZ  \r\n"_ba
                                  << "B : Y\t\r\n\tZ  \r\n"_ba
                                  << "b:Y Z\r\n"_ba;
        QTest::newRow("empty value") << "X-Empty:   \r\n"_ba
                                     << "X-Empty:   \r\n"_ba
                                     << "x-empty:\r\n"_ba;
        QTest::newRow("bare LF folding") << "Subject: a\n  b\n"_ba
                                         << "Subject: a\n  b\r\n"_ba
                                         << "subject:a b\r\n"_ba;
        QTest::newRow("8-bit") << "Subject: caf\xc3\xa9  ol\xc3\xa9\r\n"_ba
                               << "Subject: caf\xc3\xa9  ol\xc3\xa9\r\n"_ba
                               << "subject:caf\xc3\xa9 ol\xc3\xa9\r\n"_ba;
    }

    void headerCanonicalization()
    {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, simple);
        QFETCH(QByteArray, relaxed);
        QCOMPARE(canonicalHeaderField(DkimCanonicalization::Simple, field), simple);
        QCOMPARE(canonicalHeaderField(DkimCanonicalization::Relaxed, field), relaxed);
    }

    void bodyCanonicalization_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("simple");
        QTest::addColumn<QByteArray>("relaxed");
        // RFC 6376 §3.4.5.
        QTest::newRow("example") << " C \r\nD \t E\r\n\r\n\r\n"_ba
                                 << " C \r\nD \t E\r\n"_ba
                                 << " C\r\nD E\r\n"_ba;
        // §3.4.3: an empty body is one CRLF (simple); errata 3133: nothing at all (relaxed).
        QTest::newRow("empty") << QByteArray() << "\r\n"_ba << QByteArray();
        QTest::newRow("only empty lines") << "\r\n\r\n"_ba
                                          << "\r\n"_ba << QByteArray();
        QTest::newRow("no final CRLF") << "abc"_ba
                                       << "abc\r\n"_ba
                                       << "abc\r\n"_ba;
        QTest::newRow("bare LF") << "a\nb\n"_ba
                                 << "a\r\nb\r\n"_ba
                                 << "a\r\nb\r\n"_ba;
        QTest::newRow("blank line inside") << "a\r\n \t \r\nb\r\n"_ba
                                           << "a\r\n \t \r\nb\r\n"_ba
                                           << "a\r\n\r\nb\r\n"_ba;
        QTest::newRow("lone CR") << "a\rb\r\n"_ba
                                 << "a\rb\r\n"_ba
                                 << "a\rb\r\n"_ba;
        QTest::newRow("trailing WSP line at end") << "a\r\n  \r\n"_ba
                                                  << "a\r\n  \r\n"_ba
                                                  << "a\r\n"_ba;
        QTest::newRow("8-bit") << "caf\xc3\xa9 \r\n"_ba
                               << "caf\xc3\xa9 \r\n"_ba
                               << "caf\xc3\xa9\r\n"_ba;
    }

    void bodyCanonicalization()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, simple);
        QFETCH(QByteArray, relaxed);
        // Chunk boundaries (one byte at a time, CR and LF in different chunks) change nothing.
        for (const qsizetype chunk : {qsizetype(1), qsizetype(2), qsizetype(1000)})
        {
            QCOMPARE(canonicalBody(DkimCanonicalization::Simple, body, chunk), simple);
            QCOMPARE(canonicalBody(DkimCanonicalization::Relaxed, body, chunk), relaxed);
        }
    }

    void rfc8463BodyHash()
    {
        const HeaderBlock header = HeaderBlock::parse(kRfc8463Message);
        DkimBodyHasher hasher(DkimCanonicalization::Relaxed);
        hasher.add(QByteArrayView(kRfc8463Message).sliced(header.bodyOffset()));
        QCOMPARE(hasher.result().toBase64(), "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="_ba);
    }

    void rfc8463PublicKey()
    {
        const DkimKey key = rfc8463Key();
        QCOMPARE(key.algorithm(), DkimAlgorithm::Ed25519);
        QCOMPARE(key.dnsRecord(), u"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="_s);
    }

    // Ed25519 signatures are deterministic: the same input gives the RFC's b= exactly.
    void rfc8463Signature()
    {
        const HeaderBlock header = HeaderBlock::parse(kRfc8463Message);
        const QList<QByteArray> names{"from"_ba,       "to"_ba,   "subject"_ba, "date"_ba,
                                      "message-id"_ba, "from"_ba, "subject"_ba, "date"_ba};
        const QByteArray input =
            DkimSigner::headerHashInput(DkimCanonicalization::Relaxed, kRfc8463Message.left(header.bodyOffset()),
                                        header, names, kRfc8463SignatureWithoutB);
        QCOMPARE(input, "from:Joe SixPack <joe@football.example.com>\r\n"
                        "to:Suzie Q <suzie@shopping.example.net>\r\n"
                        "subject:Is dinner ready?\r\n"
                        "date:Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
                        "message-id:<20030712040037.46341.5F8J@football.example.com>\r\n"
                        "dkim-signature:v=1; a=ed25519-sha256; c=relaxed/relaxed; d=football.example.com; "
                        "i=@football.example.com; q=dns/txt; s=brisbane; t=1528637909; h=from : to : subject : "
                        "date : message-id : from : subject : date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; "
                        "b="_ba);
        const auto signature = rfc8463Key().sign(input);
        QVERIFY(signature.ok());
        QCOMPARE(signature->toBase64(),
                 "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw=="_ba);
    }

    void signedFieldNames()
    {
        const QByteArray message = "Received: from a\r\nReceived: from b\r\nFrom: a@example.org\r\n"
                                   "To: b@example.net\r\nCc: c@example.net\r\nCc: d@example.net\r\nSubject: s\r\n"
                                   "X-Mailer: m\r\nList-Id: <l.example.org>\r\nList-Unsubscribe: <mailto:u>\r\n"
                                   "Content-Type: text/plain\r\n\r\nbody\r\n"_ba;
        QCOMPARE(DkimSigner::signedFieldNames(HeaderBlock::parse(message)),
                 (QList<QByteArray>{"from"_ba, "from"_ba, "to"_ba, "cc"_ba, "cc"_ba, "subject"_ba, "content-type"_ba,
                                    "list-id"_ba, "list-unsubscribe"_ba}));
    }

    // The field as the signer writes it, with the RFC 8463 key and a fixed time: every tag, no
    // l=, lines within 78 columns, and a b= that matches the field's own hash input.
    void signatureField()
    {
        const DkimSigningKey key{u"football.example.com"_s, u"brisbane"_s, rfc8463Key()};
        const auto field = DkimSigner::sign(key, kRfc8463Message, 1528637909);
        QVERIFY2(field.ok(), qPrintable(field.ok() ? QString() : field.error().message));
        const QByteArray expectedStart =
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
            " d=football.example.com; s=brisbane; t=1528637909; h=from:from:to:subject:\r\n"
            " date:message-id; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b="_ba;
        QCOMPARE(field->left(expectedStart.size()), expectedStart);
        QVERIFY(field->endsWith("\r\n"));
        QVERIFY(!field->contains(" l="));
        for (const QByteArray& line : field->split('\n'))
            QVERIFY2(line.size() <= 79, line.constData()); // 78 + the CR
    }
};

QTEST_GUILESS_MAIN(TestDkimSigner)
#include "tst_dkimsigner.moc"
