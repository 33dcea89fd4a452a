#pragma once

#include <QObject>

#include <chrono>
#include <vector>

class QThread;

namespace promail
{

// N threads, each running its own event loop, that sessions live on (ARCHITECTURE.md
// "Concurrency"): the main thread accepts, a worker owns the connection for its whole life.
// No thread per connection. Use the pool from the thread that created it.
class WorkerPool : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkerPool)

public:
    // threadCount <= 0 means QThread::idealThreadCount().
    explicit WorkerPool(int threadCount = 0, QObject* parent = nullptr);
    ~WorkerPool() override;

    void start();
    // Asks every worker's event loop to quit and waits up to `bound` in total. Objects that
    // live in a worker (children of its context) are deleted in that worker. Returns false when
    // a worker is still busy after the bound; it is then kept and waited for again later.
    bool stop(std::chrono::milliseconds bound);

    // Round-robin: a context object living in the next worker thread, to parent sessions to and
    // to queue calls on. nullptr while the pool is not running.
    QObject* nextWorker();

    int size() const { return m_threadCount; }
    bool isRunning() const { return m_running; }

private:
    struct Worker
    {
        QThread* thread = nullptr;
        QObject* context = nullptr;
    };

    int m_threadCount = 0;
    bool m_running = false;
    std::size_t m_next = 0;
    std::vector<Worker> m_workers;
};

} // namespace promail
