#include "net/tlscontext.h"

#include <sys/stat.h>

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
QString openssl(const QStringList& arguments)
{
    QProcess process;
    process.start(u"openssl"_s, arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return u"openssl failed: "_s + QString::fromLocal8Bit(process.readAllStandardError());
    return QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
}

int fileMode(const QString& path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QSslCertificate certificateIn(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QSslCertificate(file.readAll(), QSsl::Pem) : QSslCertificate();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}
} // namespace

class TestTlsContext : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void selfSignedMatchesOpenssl();
    void generateRefusesExistingFilesAndBadNames();
    void certificatesListsEveryEntry();
    void configurationFor_data();
    void configurationFor();
    void loadErrorsNameTheFile_data();
    void loadErrorsNameTheFile();
    void reloadSwapsOrKeepsCertificates();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    TlsFiles files(const QString& stem) const { return {path(stem + u".crt"_s), path(stem + u".key"_s)}; }

    QTemporaryDir m_dir;
    TlsContext m_context;
};

void TestTlsContext::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const auto& [stem, host] : {std::pair{u"default"_s, u"default.test"_s},
                                     {u"mail"_s, u"mail.example.org"_s},
                                     {u"wild"_s, u"*.example.net"_s}})
    {
        const Status made = TlsContext::generateSelfSigned(host, files(stem).certPath, files(stem).keyPath);
        QVERIFY2(made.ok(), qPrintable(made.ok() ? QString() : made.error().message));
    }
    const Status loaded = m_context.load(
        files(u"default"_s), {{u"mail.example.org"_s, files(u"mail"_s)}, {u"*.Example.NET"_s, files(u"wild"_s)}});
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QVERIFY(m_context.isLoaded());
}

void TestTlsContext::selfSignedMatchesOpenssl()
{
    const TlsFiles mail = files(u"mail"_s);
    const Result<QString> fingerprint = TlsContext::fingerprintOfFile(mail.certPath);
    QVERIFY(fingerprint.ok());
    QCOMPARE(fingerprint->size(), 32 * 3 - 1);
    QCOMPARE(u"sha256 Fingerprint="_s + *fingerprint,
             openssl({u"x509"_s, u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s, u"-in"_s, mail.certPath}));
    QCOMPARE(openssl({u"x509"_s, u"-noout"_s, u"-subject"_s, u"-in"_s, mail.certPath}),
             u"subject=CN = mail.example.org"_s);
    QCOMPARE(openssl({u"x509"_s, u"-noout"_s, u"-ext"_s, u"subjectAltName"_s, u"-in"_s, mail.certPath}),
             u"X509v3 Subject Alternative Name: \n    DNS:mail.example.org"_s);
    QVERIFY(openssl({u"x509"_s, u"-noout"_s, u"-text"_s, u"-in"_s, mail.certPath})
                .contains(u"Signature Algorithm: sha256WithRSAEncryption"_s));
    QVERIFY(
        openssl({u"rsa"_s, u"-noout"_s, u"-text"_s, u"-in"_s, mail.keyPath}).startsWith(u"Private-Key: (2048 bit"_s));
    QCOMPARE(fileMode(mail.keyPath), 0600);
    QCOMPARE(fileMode(mail.certPath), 0644);
    QVERIFY(!QFile::exists(mail.keyPath + u".tmp"_s));

    const QSslCertificate certificate = certificateIn(mail.certPath);
    QCOMPARE(certificate.expiryDate(), certificate.effectiveDate().addYears(10));
    QVERIFY(qAbs(certificate.effectiveDate().secsTo(QDateTime::currentDateTimeUtc())) < 600);
    QVERIFY(certificate.serialNumber() != certificateIn(files(u"default"_s).certPath).serialNumber());
}

void TestTlsContext::generateRefusesExistingFilesAndBadNames()
{
    const TlsFiles mail = files(u"mail"_s);
    const Status again = TlsContext::generateSelfSigned(u"mail.example.org"_s, path(u"new.crt"_s), mail.keyPath);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().message,
             u"cannot generate self-signed certificate: "_s + mail.keyPath + u" already exists"_s);
    QVERIFY(!QFile::exists(path(u"new.crt"_s)));

    const Status bad = TlsContext::generateSelfSigned(u"a.example,IP:1.2.3.4"_s, path(u"x.crt"_s), path(u"x.key"_s));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, u"invalid host name for a certificate: 'a.example,IP:1.2.3.4'"_s);

    const Result<QString> missing = TlsContext::fingerprintOfFile(path(u"missing.crt"_s));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message,
             u"cannot read certificate file "_s + path(u"missing.crt"_s) + u": No such file or directory"_s);
}

void TestTlsContext::certificatesListsEveryEntry()
{
    const QList<CertificateInfo> list = m_context.certificates();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0].host, QString());
    QCOMPARE(list[0].subjectCommonName, u"default.test"_s);
    QCOMPARE(list[1].host, u"mail.example.org"_s);
    QCOMPARE(list[1].subjectCommonName, u"mail.example.org"_s);
    QCOMPARE(list[2].host, u"*.example.net"_s);
    QCOMPARE(list[2].subjectCommonName, u"*.example.net"_s);
    QCOMPARE(list[1].sha256Fingerprint, TlsContext::fingerprintOfFile(files(u"mail"_s).certPath).value());
    QCOMPARE(list[1].notAfter, certificateIn(files(u"mail"_s).certPath).expiryDate());
}

void TestTlsContext::configurationFor_data()
{
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<QString>("commonName");

    QTest::newRow("exact") << u"mail.example.org"_s << u"mail.example.org"_s;
    QTest::newRow("exact, other case") << u"MAIL.Example.ORG"_s << u"mail.example.org"_s;
    QTest::newRow("wildcard one label") << u"imap.example.net"_s << u"*.example.net"_s;
    QTest::newRow("wildcard two labels") << u"a.imap.example.net"_s << u"default.test"_s;
    QTest::newRow("wildcard apex") << u"example.net"_s << u"default.test"_s;
    QTest::newRow("sub of exact") << u"x.mail.example.org"_s << u"default.test"_s;
    QTest::newRow("unknown") << u"other.org"_s << u"default.test"_s;
    QTest::newRow("no SNI") << QString() << u"default.test"_s;
}

void TestTlsContext::configurationFor()
{
    QFETCH(QString, serverName);
    QFETCH(QString, commonName);
    const QSslConfiguration configuration = m_context.configurationFor(serverName);
    QCOMPARE(configuration.localCertificate().subjectInfo(QSslCertificate::CommonName).value(0), commonName);
    QCOMPARE(configuration.protocol(), QSsl::TlsV1_2OrLater);
    QCOMPARE(configuration.peerVerifyMode(), QSslSocket::VerifyNone);
    QVERIFY(!configuration.privateKey().isNull());
}

void TestTlsContext::loadErrorsNameTheFile_data()
{
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QString>("error"); // %1 = the temporary directory

    writeFile(path(u"garbage.pem"_s), "-----BEGIN NOTHING-----\nxx\n"_ba);
    QTest::newRow("missing cert") << u"nope.crt"_s << u"mail.key"_s
                                  << u"cannot read certificate file %1/nope.crt: No such file or directory"_s;
    QTest::newRow("garbage cert") << u"garbage.pem"_s << u"mail.key"_s << u"no PEM certificate in %1/garbage.pem"_s;
    QTest::newRow("key as cert") << u"mail.key"_s << u"mail.key"_s << u"no PEM certificate in %1/mail.key"_s;
    QTest::newRow("missing key") << u"mail.crt"_s << u"nope.key"_s
                                 << u"cannot read private key file %1/nope.key: No such file or directory"_s;
    QTest::newRow("garbage key") << u"mail.crt"_s << u"garbage.pem"_s
                                 << u"no unencrypted RSA, EC or DSA PEM private key in %1/garbage.pem"_s;
    QTest::newRow("cert as key") << u"mail.crt"_s << u"mail.crt"_s
                                 << u"no unencrypted RSA, EC or DSA PEM private key in %1/mail.crt"_s;
    QTest::newRow("other key") << u"mail.crt"_s << u"default.key"_s
                               << u"private key %1/default.key does not match certificate %1/mail.crt"_s;
}

void TestTlsContext::loadErrorsNameTheFile()
{
    QFETCH(QString, certFile);
    QFETCH(QString, keyFile);
    QFETCH(QString, error);

    TlsContext context;
    const Status loaded = context.load({path(certFile), path(keyFile)});
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().message, error.arg(m_dir.path()));
    QVERIFY(!context.isLoaded());

    // An SNI entry is checked the same way, and a failed load leaves m_context untouched.
    const Status sni = context.load(files(u"default"_s), {{u"x.test"_s, {path(certFile), path(keyFile)}}});
    QCOMPARE(sni.ok() ? QString() : sni.error().message, error.arg(m_dir.path()));
}

void TestTlsContext::reloadSwapsOrKeepsCertificates()
{
    TlsContext context;
    QCOMPARE(context.reload().error().message, u"no certificates loaded"_s);

    const TlsFiles live{path(u"live.crt"_s), path(u"live.key"_s)};
    QVERIFY(TlsContext::generateSelfSigned(u"live.test"_s, live.certPath, live.keyPath).ok());
    QVERIFY(context.load(live).ok());
    const QString first = TlsContext::fingerprintOfFile(live.certPath).value();
    QCOMPARE(context.certificates().value(0).sha256Fingerprint, first);

    // Renewal: new files at the same paths, then SIGHUP.
    QVERIFY(QFile::remove(live.certPath) && QFile::remove(live.keyPath));
    QVERIFY(TlsContext::generateSelfSigned(u"live.test"_s, live.certPath, live.keyPath).ok());
    const QString second = TlsContext::fingerprintOfFile(live.certPath).value();
    QVERIFY(second != first);
    QVERIFY(context.reload().ok());
    QCOMPARE(context.certificates().value(0).sha256Fingerprint, second);
    QCOMPARE(context.configurationFor({}).localCertificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper(),
             second.toLatin1());

    // A broken renewal keeps serving the certificate that works.
    writeFile(live.certPath, "not a certificate\n"_ba);
    const Status broken = context.reload();
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().message, u"no PEM certificate in "_s + live.certPath);
    QCOMPARE(context.certificates().value(0).sha256Fingerprint, second);
}

QTEST_GUILESS_MAIN(TestTlsContext)
#include "tst_net_tlscontext.moc"
