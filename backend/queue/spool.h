#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "storage/durablecommitter.h"
#include "storage/paging.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace promail
{

class Database;

// One recipient of a queued message with its RFC 3461 DSN parameters.
struct QueuedRecipient
{
    QString address;
    QString orcpt;                              // ORCPT=, as received (xtext decoded), empty if none
    QString notify;                             // NOTIFY= (e.g. "SUCCESS,FAILURE"), empty if none
    QString status = QStringLiteral("pending"); // pending, delivered, failed, deferred
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString lastError;
};

struct QueueEnvelope
{
    QString sender; // MAIL FROM, "" for the null reverse-path
    QList<QueuedRecipient> recipients;
    QString envid; // ENVID= (RFC 3461 §4.4)
    QString ret;   // RET=FULL or HDRS
    QString authenticatedUser;
    QString clientAddress;
    QString messageId;
};

struct QueueEntry
{
    QString queueId;
    QueueEnvelope envelope;
    qint64 size = 0;
    bool held = false;
    QDateTime createdAt;
    QString file; // absolute path of the message file
};

// The durable outbound spool (ARCHITECTURE.md "Durability"): one message file under
// data_dir/queue/ plus its envelope rows. Delivering it is the outbound scheduler's job.
class Spool
{
public:
    Spool(const Database& database, const DataPaths& paths);

    struct Prepared
    {
        QString queueId;
        CommitJob job;
    };

    // Writes prefix + the bytes of sourcePath to queue/tmp/ (closed, not synced) and returns the
    // job that publishes it and inserts its rows; recipients start "pending", due now.
    Result<Prepared> prepare(const QueueEnvelope& envelope, const QByteArray& prefix, const QString& sourcePath) const;

    // Newest first; q matches the queue id, sender or a recipient.
    Result<Page<QueueEntry>> list(const PageRequest& request) const;
    Result<QueueEntry> get(const QString& queueId) const;

    // Start-up sweep: deletes queue/tmp/ leftovers and files that no row refers to (they were
    // never acknowledged), and reports rows whose file is missing.
    Status recover() const;

private:
    const Database& m_database;
    DataPaths m_paths;
};

} // namespace promail
