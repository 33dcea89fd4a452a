#include "net/workerpool.h"

#include <QDeadlineTimer>
#include <QThread>
#include <QtDebug>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// How long the destructor waits for workers that a bounded stop() left running.
constexpr std::chrono::milliseconds kDestructorBound{5000};
} // namespace

WorkerPool::WorkerPool(int threadCount, QObject* parent)
    : QObject(parent), m_threadCount(threadCount > 0 ? threadCount : QThread::idealThreadCount())
{
}

WorkerPool::~WorkerPool()
{
    if (!stop(kDestructorBound))
    {
        // Deleting a running QThread aborts the process; leaking it at shutdown is the lesser harm.
        qWarning("WorkerPool: %zu worker thread(s) still busy at destruction; leaking them", m_workers.size());
        for (Worker& worker : m_workers)
            worker.thread->setParent(nullptr);
    }
}

void WorkerPool::start()
{
    if (m_running || !m_workers.empty())
        return;
    for (int i = 0; i < m_threadCount; ++i)
    {
        Worker worker;
        worker.thread = new QThread(this);
        worker.thread->setObjectName(u"promail-worker-"_s + QString::number(i));
        worker.context = new QObject;
        worker.context->setObjectName(worker.thread->objectName());
        worker.context->moveToThread(worker.thread);
        // The context and every session parented to it are destroyed in their own thread.
        connect(worker.thread, &QThread::finished, worker.context, &QObject::deleteLater);
        worker.thread->start();
        m_workers.push_back(worker);
    }
    m_running = true;
}

bool WorkerPool::stop(std::chrono::milliseconds bound)
{
    m_running = false;
    for (const Worker& worker : m_workers)
        worker.thread->quit();

    const QDeadlineTimer deadline(bound);
    std::vector<Worker> busy;
    for (const Worker& worker : m_workers)
    {
        if (worker.thread->wait(deadline))
            delete worker.thread;
        else
            busy.push_back(worker);
    }
    m_workers = std::move(busy);
    return m_workers.empty();
}

QObject* WorkerPool::nextWorker()
{
    if (!m_running || m_workers.empty())
        return nullptr;
    QObject* context = m_workers[m_next % m_workers.size()].context;
    m_next = (m_next + 1) % m_workers.size();
    return context;
}

} // namespace promail
