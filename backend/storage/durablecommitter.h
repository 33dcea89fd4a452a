#pragma once

#include "core/result.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QWaitCondition>

#include <functional>

class QThread;

namespace promail
{

class Database;

// A file written and closed under a temporary name, to be made durable under its final name.
struct FileCommit
{
    QString tempPath;
    QString finalPath;
};

// One unit of durable work: files to publish and the rows that describe them, committed together.
struct CommitJob
{
    QList<FileCommit> files;
    // Runs in the committer's thread inside the batch transaction (in its own savepoint), after
    // the files are durable; a failure rolls back only this job and removes its files.
    std::function<Status(const Database&)> rows;
};

// Group commit (ARCHITECTURE.md "Durability"): jobs submitted from any thread are collected while
// the previous batch is being synced, then the whole batch is made durable at once — each file
// fdatasync'd and renamed, each touched directory fsync'd once, all rows in one transaction (one
// WAL sync). Only then is each submitter told, in its own thread; so "250" waits for the disk
// but many sessions share the cost.
class DurableCommitter : public QObject
{
    Q_OBJECT

public:
    explicit DurableCommitter(const Database& database, QObject* parent = nullptr);
    ~DurableCommitter() override;
    Q_DISABLE_COPY_MOVE(DurableCommitter)

    // `done` runs in `receiver`'s thread (not at all if the receiver is gone by then).
    void submit(CommitJob job, QObject* receiver, std::function<void(Status)> done);

    // Blocks until the job is committed; for callers without an event loop of their own.
    Status commit(CommitJob job);

    // Stops after the jobs already submitted are committed.
    void stop();

private:
    struct Pending
    {
        CommitJob job;
        QPointer<QObject> receiver;
        bool inline_ = false; // done runs in the committer thread (synchronous commit())
        std::function<void(Status)> done;
    };

    void run();
    void commitBatch(QList<Pending>& batch);

    const Database& m_database;
    QThread* m_thread = nullptr;
    QMutex m_mutex;
    QWaitCondition m_wake;
    QList<Pending> m_queue;
    bool m_stopping = false;
};

// fsync of a file or directory by path; errors name the path.
Status syncPath(const QString& path, bool dataOnly);

} // namespace promail
