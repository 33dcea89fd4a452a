#include "net/listener.h"
#include "net/tlsacceptor.h"
#include "net/tlscontext.h"
#include "net/workerpool.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace promail;

namespace
{
// What the worker side saw, written from worker threads.
struct Outcome
{
    QMutex mutex;
    QStringList serverNames; // one per ready()
    QStringList failures;    // one per failed()
    QSet<QThread*> threads;
};
} // namespace

class TestTlsAcceptor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void handshakeWithSni();
    void handshakeWithoutSni();
    void helloInTwoPiecesIsAwaited();
    void garbageIsClosed();
    void silenceTimesOut();

private:
    QString fingerprintOf(const QString& stem) const
    {
        return TlsContext::fingerprintOfFile(m_dir.filePath(stem + u".crt"_s)).value();
    }
    static QString fingerprintOf(const QSslCertificate& certificate)
    {
        return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    }
    QStringList failures()
    {
        QMutexLocker locker(&m_outcome.mutex);
        return m_outcome.failures;
    }
    QStringList serverNames()
    {
        QMutexLocker locker(&m_outcome.mutex);
        return m_outcome.serverNames;
    }

    QTemporaryDir m_dir;
    TlsContext m_context;
    Outcome m_outcome;
    WorkerPool m_pool{2};
    std::unique_ptr<Listener> m_listener;
};

void TestTlsAcceptor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const auto& [stem, host] : {std::pair{u"default"_s, u"default.test"_s}, {u"mail"_s, u"mail.example.org"_s}})
    {
        QVERIFY(TlsContext::generateSelfSigned(host, m_dir.filePath(stem + u".crt"_s), m_dir.filePath(stem + u".key"_s))
                    .ok());
    }
    const auto files = [this](const QString& stem)
    {
        return TlsFiles{m_dir.filePath(stem + u".crt"_s), m_dir.filePath(stem + u".key"_s)};
    };
    QVERIFY(m_context.load(files(u"default"_s), {{u"mail.example.org"_s, files(u"mail"_s)}}).ok());

    m_pool.start();
    auto factory = [this](qintptr descriptor, QObject* worker)
    {
        auto* acceptor = new TlsAcceptor(descriptor, &m_context, 1000ms, worker);
        connect(acceptor, &TlsAcceptor::ready, worker,
                [this](QSslSocket* socket, const QString& serverName)
                {
                    {
                        QMutexLocker locker(&m_outcome.mutex);
                        m_outcome.serverNames.append(serverName);
                        m_outcome.threads.insert(QThread::currentThread());
                    }
                    // The session: an echo over the handed-over socket, in this worker.
                    connect(socket, &QSslSocket::readyRead, socket, [socket]() { socket->write(socket->readAll()); });
                    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
                });
        connect(acceptor, &TlsAcceptor::failed, worker,
                [this](const QString& reason)
                {
                    QMutexLocker locker(&m_outcome.mutex);
                    m_outcome.failures.append(reason);
                });
        acceptor->start();
    };
    m_listener = std::make_unique<Listener>(&m_pool, QHostAddress::LocalHost, 0, factory);
    QVERIFY(m_listener->listen().ok());
}

void TestTlsAcceptor::cleanupTestCase()
{
    m_listener.reset();
    QVERIFY(m_pool.stop(5000ms));
    QVERIFY(!m_outcome.threads.contains(QThread::currentThread()));
}

void TestTlsAcceptor::init()
{
    QMutexLocker locker(&m_outcome.mutex);
    m_outcome.serverNames.clear();
    m_outcome.failures.clear();
}

void TestTlsAcceptor::handshakeWithSni()
{
    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.connectToHostEncrypted(u"127.0.0.1"_s, m_listener->serverPort(), u"mail.example.org"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 5000);
    QCOMPARE(client.peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0), u"mail.example.org"_s);
    QCOMPARE(fingerprintOf(client.peerCertificate()), fingerprintOf(u"mail"_s));
    QTRY_COMPARE(serverNames(), QStringList{u"mail.example.org"_s});

    client.write("hello over TLS\n"_ba);
    QByteArray echoed;
    QTRY_COMPARE_WITH_TIMEOUT((echoed += client.readAll()), "hello over TLS\n"_ba, 5000);
    QCOMPARE(failures(), QStringList());
}

void TestTlsAcceptor::handshakeWithoutSni()
{
    // Qt sends no SNI when the peer name is an IP address (RFC 6066 §3: literal IPs not permitted).
    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.connectToHostEncrypted(u"127.0.0.1"_s, m_listener->serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 5000);
    QCOMPARE(client.peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0), u"default.test"_s);
    QCOMPARE(fingerprintOf(client.peerCertificate()), fingerprintOf(u"default"_s));
    QTRY_COMPARE(serverNames(), QStringList{QString()});
    QCOMPARE(failures(), QStringList());
}

void TestTlsAcceptor::helloInTwoPiecesIsAwaited()
{
    // A real ClientHello (openssl s_client -servername mail.example.org) sent in two pieces: the
    // acceptor must wait for the rest, then answer with a ServerHello handshake record.
    QFile file(QStringLiteral(PROMAIL_SOURCE_DIR "/tests/fuzz/corpus/fuzz_clienthello/hello-sni.bin"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray hello = file.readAll();

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_listener->serverPort());
    QVERIFY(client.waitForConnected(5000));
    client.write(hello.left(100));
    QVERIFY(client.waitForBytesWritten(5000));
    QTest::qWait(150);
    QCOMPARE(client.bytesAvailable(), 0);
    client.write(hello.mid(100));
    QByteArray reply;
    QTRY_VERIFY_WITH_TIMEOUT((reply += client.readAll()).size() >= 6, 5000);
    QCOMPARE(reply.left(3), "\x16\x03\x03"_ba); // handshake record, TLS 1.2 record version
    QCOMPARE(reply.at(5), '\x02');              // ServerHello
    // The raw client cannot finish the handshake: the time limit ends it.
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE(failures(), QStringList{u"no TLS handshake within the time limit"_s});
}

void TestTlsAcceptor::garbageIsClosed()
{
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_listener->serverPort());
    QVERIFY(client.waitForConnected(5000));
    client.write("EHLO client.example\r\n"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(client.readAll(), QByteArray());
    QTRY_COMPARE(failures(), QStringList{u"not a TLS ClientHello"_s});
}

void TestTlsAcceptor::silenceTimesOut()
{
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_listener->serverPort());
    QVERIFY(client.waitForConnected(5000));
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(timer.elapsed() >= 800, qPrintable(QString::number(timer.elapsed())));
    QTRY_COMPARE(failures(), QStringList{u"no TLS handshake within the time limit"_s});
}

QTEST_GUILESS_MAIN(TestTlsAcceptor)
#include "tst_net_tlsacceptor.moc"
