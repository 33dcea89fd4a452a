#include "storage/durablecommitter.h"

#include "core/logging.h"
#include "storage/database.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThread>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
Error ioError(const QString& what, const QString& path)
{
    // ENOSPC/EDQUOT/EIO are conditions to retry later (SMTP 4xx), not bugs.
    return Error{
        ErrorCode::Unavailable, u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errno))), {}};
}
} // namespace

Status syncPath(const QString& path, bool dataOnly)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ioError(u"cannot open"_s, path);
    const int rc = dataOnly ? ::fdatasync(fd) : ::fsync(fd);
    const int savedErrno = errno;
    ::close(fd);
    errno = savedErrno;
    if (rc != 0)
        return ioError(u"cannot sync"_s, path);
    return {};
}

DurableCommitter::DurableCommitter(const Database& database, QObject* parent)
    : QObject(parent), m_database(database), m_thread(QThread::create([this] { run(); }))
{
    m_thread->setObjectName(u"durable-committer"_s);
    m_thread->start();
}

DurableCommitter::~DurableCommitter()
{
    stop();
    delete m_thread;
}

void DurableCommitter::stop()
{
    {
        QMutexLocker locker(&m_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

void DurableCommitter::submit(CommitJob job, QObject* receiver, std::function<void(Status)> done)
{
    QMutexLocker locker(&m_mutex);
    if (m_stopping)
    {
        locker.unlock();
        const Error error{ErrorCode::Unavailable, u"the server is shutting down"_s, {}};
        QMetaObject::invokeMethod(
            receiver, [done, error] { done(error); }, Qt::QueuedConnection);
        return;
    }
    m_queue.append({std::move(job), receiver, false, std::move(done)});
    m_wake.wakeOne();
}

Status DurableCommitter::commit(CommitJob job)
{
    QMutex mutex;
    QWaitCondition finished;
    bool ready = false;
    Status result;
    {
        QMutexLocker locker(&m_mutex);
        if (m_stopping)
            return Error{ErrorCode::Unavailable, u"the server is shutting down"_s, {}};
        // No receiver: the callback runs in the committer thread and wakes us.
        m_queue.append({std::move(job), nullptr, true,
                        [&](Status status)
                        {
                            QMutexLocker done(&mutex);
                            result = std::move(status);
                            ready = true;
                            finished.wakeAll();
                        }});
        m_wake.wakeOne();
    }
    QMutexLocker locker(&mutex);
    while (!ready)
        finished.wait(&mutex);
    return result;
}

void DurableCommitter::run()
{
    for (;;)
    {
        QList<Pending> batch;
        {
            QMutexLocker locker(&m_mutex);
            while (m_queue.isEmpty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_queue.isEmpty())
                break; // stopping, and nothing left
            batch.swap(m_queue);
        }
        commitBatch(batch);
    }
}

void DurableCommitter::commitBatch(QList<Pending>& batch)
{
    QList<Status> results(batch.size());
    QSet<QString> directories;

    // 1. Each file's data reaches the disk before its name appears (no half message visible).
    for (qsizetype i = 0; i < batch.size(); ++i)
    {
        for (const FileCommit& file : batch[i].job.files)
        {
            if (!results[i].ok())
                break;
            if (Status synced = syncPath(file.tempPath, true); !synced)
                results[i] = synced;
            else if (::rename(QFile::encodeName(file.tempPath).constData(),
                              QFile::encodeName(file.finalPath).constData()) != 0)
                results[i] = ioError(u"cannot rename into place"_s, file.finalPath);
            else
                directories.insert(QFileInfo(file.finalPath).absolutePath());
        }
    }
    // 2. The directory entries themselves, once per directory for the whole batch.
    for (const QString& directory : std::as_const(directories))
    {
        if (const Status synced = syncPath(directory, false); !synced)
        {
            for (qsizetype i = 0; i < batch.size(); ++i)
            {
                for (const FileCommit& file : batch[i].job.files)
                {
                    if (QFileInfo(file.finalPath).absolutePath() == directory && results[i].ok())
                        results[i] = synced;
                }
            }
        }
    }
    // 3. The rows, in one transaction; each job in a savepoint so one bad job fails alone.
    Status transaction = m_database.begin();
    for (qsizetype i = 0; i < batch.size() && transaction.ok(); ++i)
    {
        if (!results[i].ok() || !batch[i].job.rows)
            continue;
        if (const auto savepoint = m_database.run(u"SAVEPOINT job"_s); !savepoint)
        {
            results[i] = savepoint.error();
            continue;
        }
        results[i] = batch[i].job.rows(m_database);
        const auto finished =
            m_database.run(results[i].ok() ? u"RELEASE SAVEPOINT job"_s : u"ROLLBACK TO SAVEPOINT job"_s);
        if (!finished)
            transaction = finished.error(); // the transaction is in an unknown state: fail the batch
        else if (!results[i].ok())
        {
            if (const auto released = m_database.run(u"RELEASE SAVEPOINT job"_s); !released)
                transaction = released.error();
        }
    }
    if (transaction.ok())
        transaction = m_database.commit();
    else
        m_database.rollback();

    // 4. Report; a failed job's files are taken back so nothing unacknowledged stays visible.
    for (qsizetype i = 0; i < batch.size(); ++i)
    {
        Status status = transaction.ok() ? results[i] : transaction;
        if (!status.ok())
        {
            for (const FileCommit& file : batch[i].job.files)
            {
                QFile::remove(file.tempPath);
                QFile::remove(file.finalPath);
            }
        }
        Pending& pending = batch[i];
        if (pending.inline_)
            pending.done(status);
        else if (pending.receiver) // a receiver that is gone (session closed) is not told
            QMetaObject::invokeMethod(
                pending.receiver.data(), [done = std::move(pending.done), status] { done(status); },
                Qt::QueuedConnection);
    }
    qCDebug(lcStorage) << "group commit:" << batch.size() << "jobs," << directories.size() << "directories";
}

} // namespace promail
