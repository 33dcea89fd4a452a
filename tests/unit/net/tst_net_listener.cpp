#include "net/listener.h"
#include "net/workerpool.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace promail;

namespace
{
// Session threads seen by the factory, shared with the worker threads.
struct Seen
{
    QMutex mutex;
    QSet<QThread*> threads;
    std::atomic<int> factoryInContextThread{0};
    std::atomic<int> sessionsDestroyed{0};
};

// Echoes every byte back; lives in (and dies with) its worker context.
class EchoSession : public QObject
{
public:
    EchoSession(qintptr descriptor, Seen* seen, QObject* parent) : QObject(parent), m_seen(seen)
    {
        m_socket.setSocketDescriptor(descriptor);
        connect(&m_socket, &QTcpSocket::readyRead, this, [this]() { m_socket.write(m_socket.readAll()); });
    }
    ~EchoSession() override { ++m_seen->sessionsDestroyed; }

private:
    Seen* m_seen;
    QTcpSocket m_socket;
};

Listener::ConnectionFactory echoFactory(Seen* seen)
{
    return [seen](qintptr descriptor, QObject* worker)
    {
        if (QThread::currentThread() == worker->thread())
            ++seen->factoryInContextThread;
        {
            QMutexLocker locker(&seen->mutex);
            seen->threads.insert(QThread::currentThread());
        }
        new EchoSession(descriptor, seen, worker);
    };
}
} // namespace

class TestListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void echoOverWorkerThreads();
    void stopIsBoundedWhenAWorkerIsBusy();
    void connectionWithoutRunningPoolIsClosed();
    void listenErrorNamesTheAddress();
};

void TestListener::echoOverWorkerThreads()
{
    Seen seen;
    WorkerPool pool(3);
    QCOMPARE(pool.size(), 3);
    pool.start();
    Listener listener(&pool, QHostAddress::LocalHost, 0, echoFactory(&seen));
    QVERIFY(listener.listen().ok());
    QVERIFY(listener.serverPort() != 0);
    QCOMPARE(listener.serverAddress(), QHostAddress(QHostAddress::LocalHost));

    constexpr int kClients = 50;
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    std::vector<QByteArray> received(kClients);
    std::atomic<int> disconnected{0};
    for (int i = 0; i < kClients; ++i)
    {
        auto client = std::make_unique<QTcpSocket>();
        QTcpSocket* raw = client.get();
        connect(raw, &QTcpSocket::connected, raw,
                [raw, i]() { raw->write("ping "_ba + QByteArray::number(i) + "\n"); });
        connect(raw, &QTcpSocket::readyRead, raw, [raw, i, &received]() { received[i] += raw->readAll(); });
        connect(raw, &QTcpSocket::disconnected, raw, [&disconnected]() { ++disconnected; });
        raw->connectToHost(QHostAddress::LocalHost, listener.serverPort());
        clients.push_back(std::move(client));
    }
    for (int i = 0; i < kClients; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(received[i], "ping "_ba + QByteArray::number(i) + "\n", 10000);
    QCOMPARE(received[7], "ping 7\n"_ba);

    QCOMPARE(seen.factoryInContextThread.load(), kClients);
    QCOMPARE(seen.threads.size(), 3); // round-robin over 50 connections reaches every worker
    QVERIFY(!seen.threads.contains(QThread::currentThread()));

    listener.close();
    QVERIFY(!listener.isListening());
    QElapsedTimer timer;
    timer.start();
    QVERIFY(pool.stop(2000ms));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!pool.isRunning());
    QCOMPARE(pool.nextWorker(), nullptr);
    // Sessions were children of the worker contexts: stopping the pool closed them all.
    QCOMPARE(seen.sessionsDestroyed.load(), kClients);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.load(), kClients, 5000);
}

void TestListener::stopIsBoundedWhenAWorkerIsBusy()
{
    WorkerPool pool(1);
    pool.start();
    QObject* worker = pool.nextWorker();
    QVERIFY(worker);
    QCOMPARE(pool.nextWorker(), worker); // one worker: round-robin returns it again
    std::atomic<bool> started{false};
    QMetaObject::invokeMethod(
        worker,
        [&started]()
        {
            started = true;
            QThread::msleep(1500);
        },
        Qt::QueuedConnection);
    QTRY_VERIFY(started.load());

    QElapsedTimer timer;
    timer.start();
    QVERIFY(!pool.stop(200ms));
    QVERIFY2(timer.elapsed() >= 190 && timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    // A second stop with room to spare collects the worker once its task ends.
    QVERIFY(pool.stop(5000ms));
}

void TestListener::connectionWithoutRunningPoolIsClosed()
{
    WorkerPool pool(2); // never started
    Seen seen;
    Listener listener(&pool, QHostAddress::LocalHost, 0, echoFactory(&seen));
    QVERIFY(listener.listen().ok());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(seen.threads.size(), 0);
}

void TestListener::listenErrorNamesTheAddress()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    WorkerPool pool(1);
    Listener listener(&pool, QHostAddress::LocalHost, occupant.serverPort(), [](qintptr, QObject*) {});
    const Status status = listener.listen();
    QVERIFY(!status.ok());
    QCOMPARE(status.error().message, u"cannot listen on 127.0.0.1:"_s + QString::number(occupant.serverPort()) +
                                         u": The bound address is already in use"_s);
}

QTEST_GUILESS_MAIN(TestListener)
#include "tst_net_listener.moc"
