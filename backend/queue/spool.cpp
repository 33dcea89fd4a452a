#include "queue/spool.h"

#include "queue/queueid.h"
#include "queue/queuelogging.h"
#include "queue/spoolfile.h"
#include "storage/database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// recover() leaves files younger than this alone: with several nodes on shared storage (or a
// sweep that overlaps a commit) such a file may be one whose rows are about to be committed.
constexpr qint64 kRecoveryGraceSeconds = 3600;

const QString kMessageColumns = u"m.id, m.queue_id, m.file, m.sender, m.size, m.message_id, m.envid, m.ret, "
                                "m.authenticated_user, m.client_address, m.held, m.created_at"_s;

Error directoryError(const QString& what, const QString& path, int error)
{
    return Error{
        ErrorCode::Unavailable, u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(error))), {}};
}

QDateTime fromSeconds(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

Status insertRows(const Database& db, const QueueEnvelope& envelope, const QString& queueId, const QString& file,
                  qint64 size)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto message = db.run(u"INSERT INTO queue_messages (queue_id, file, sender, size, message_id, envid, ret, "
                                "authenticated_user, client_address, held, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"_s,
                                {queueId, file, envelope.sender, size, envelope.messageId, envelope.envid, envelope.ret,
                                 envelope.authenticatedUser, envelope.clientAddress, now});
    if (!message)
        return message.error();
    for (const QueuedRecipient& recipient : envelope.recipients)
    {
        // Every recipient starts pending and due now; the scheduler owns the later states.
        const auto inserted =
            db.run(u"INSERT INTO queue_recipients (queue_message_id, address, orcpt, notify, status, "
                   "attempts, next_attempt_at, last_error, updated_at) "
                   "SELECT id, ?, ?, ?, 'pending', 0, ?, '', ? FROM queue_messages WHERE queue_id = ?"_s,
                   {recipient.address, recipient.orcpt, recipient.notify, now, now, queueId});
        if (!inserted)
            return inserted.error();
    }
    return {};
}

// One queue_messages row as read with kMessageColumns; recipients are filled in separately.
QueueEntry entryFromRow(const QSqlQuery& row, const QString& queueDirectory)
{
    QueueEntry entry;
    entry.queueId = row.value(1).toString();
    entry.file = queueDirectory + u'/' + row.value(2).toString();
    entry.envelope.sender = row.value(3).toString();
    entry.size = row.value(4).toLongLong();
    entry.envelope.messageId = row.value(5).toString();
    entry.envelope.envid = row.value(6).toString();
    entry.envelope.ret = row.value(7).toString();
    entry.envelope.authenticatedUser = row.value(8).toString();
    entry.envelope.clientAddress = row.value(9).toString();
    entry.held = row.value(10).toLongLong() != 0;
    entry.createdAt = fromSeconds(row.value(11).toLongLong());
    return entry;
}

// Fills in the recipients of `entries`, whose row ids are `ids` (same order), in one query.
Status loadRecipients(const Database& db, QList<QueueEntry>& entries, const QList<qint64>& ids)
{
    if (ids.isEmpty())
        return {};
    QHash<qint64, qsizetype> index;
    QVariantList bindings;
    QStringList placeholders;
    for (qsizetype i = 0; i < ids.size(); ++i)
    {
        index.insert(ids.at(i), i);
        bindings << ids.at(i);
        placeholders << u"?"_s;
    }
    auto query = db.run(u"SELECT queue_message_id, address, orcpt, notify, status, attempts, next_attempt_at, "
                        "last_error FROM queue_recipients WHERE queue_message_id IN (%1) "
                        "ORDER BY queue_message_id, id"_s.arg(placeholders.join(u", "_s)),
                        bindings);
    if (!query)
        return query.error();
    while (query->next())
    {
        QueuedRecipient recipient;
        recipient.address = query->value(1).toString();
        recipient.orcpt = query->value(2).toString();
        recipient.notify = query->value(3).toString();
        recipient.status = query->value(4).toString();
        recipient.attempts = query->value(5).toInt();
        recipient.nextAttemptAt = fromSeconds(query->value(6).toLongLong());
        recipient.lastError = query->value(7).toString();
        entries[index.value(query->value(0).toLongLong())].envelope.recipients.append(recipient);
    }
    return {};
}

bool isOlderThanGrace(const QFileInfo& file, const QDateTime& now)
{
    return file.lastModified().secsTo(now) >= kRecoveryGraceSeconds;
}
} // namespace

Spool::Spool(const Database& database, const DataPaths& paths) : m_database(database), m_paths(paths)
{
}

Result<Spool::Prepared> Spool::prepare(const QueueEnvelope& envelope, const QByteArray& prefix,
                                       const QString& sourcePath) const
{
    if (envelope.recipients.isEmpty())
        return Error::invalid(u"recipients"_s, u"a queued message needs at least one recipient"_s);

    const QString queueId = newQueueId();
    const QString bucket = queueId.left(2);
    const QString tmpDirectory = m_paths.queue() + u"/tmp"_s;
    const QString bucketDirectory = m_paths.queue() + u'/' + bucket;
    if (::mkdir(QFile::encodeName(tmpDirectory).constData(), 0700) != 0 && errno != EEXIST)
        return directoryError(u"cannot create directory"_s, tmpDirectory, errno);
    if (::mkdir(QFile::encodeName(bucketDirectory).constData(), 0700) == 0)
    {
        // The committer syncs the directory a file is renamed into, not that directory's own
        // entry in queue/: a new bucket must be durable before any file in it is acknowledged.
        if (Status synced = syncPath(m_paths.queue(), false); !synced)
        {
            ::rmdir(QFile::encodeName(bucketDirectory).constData()); // so that the next message tries again
            return synced.error();
        }
    }
    else if (errno != EEXIST)
    {
        return directoryError(u"cannot create directory"_s, bucketDirectory, errno);
    }

    const QString tempPath = tmpDirectory + u'/' + queueId;
    const auto size = writeSpoolFile(tempPath, prefix, sourcePath);
    if (!size)
        return size.error();

    const QString file = bucket + u'/' + queueId; // relative to queue/, so data_dir can move
    Prepared prepared{queueId, {}};
    prepared.job.files.append({tempPath, m_paths.queue() + u'/' + file});
    prepared.job.rows = [envelope, queueId, file, size = *size](const Database& db)
    {
        return insertRows(db, envelope, queueId, file, size);
    };
    return prepared;
}

Result<Page<QueueEntry>> Spool::list(const PageRequest& request) const
{
    const int limit = std::clamp(request.limit, 1, PageRequest::kMaxLimit);
    QString sql = u"SELECT "_s + kMessageColumns + u" FROM queue_messages m WHERE 1 = 1"_s;
    QVariantList bindings;
    if (!request.cursor.isEmpty())
    {
        bool ok = false;
        const qint64 last = request.cursor.toLongLong(&ok);
        if (!ok || last <= 0)
            return Error::invalid(u"cursor"_s, u"'%1' is not a cursor of the queue list"_s.arg(request.cursor));
        sql += u" AND m.id < ?"_s;
        bindings << last;
    }
    if (!request.query.isEmpty())
    {
        sql += u" AND (LOWER(m.queue_id) LIKE ? ESCAPE '\\' OR LOWER(m.sender) LIKE ? ESCAPE '\\' OR EXISTS "
               "(SELECT 1 FROM queue_recipients r WHERE r.queue_message_id = m.id "
               "AND LOWER(r.address) LIKE ? ESCAPE '\\'))"_s;
        const QString pattern = likePattern(request.query);
        bindings << pattern << pattern << pattern;
    }
    sql += u" ORDER BY m.id DESC LIMIT ?"_s; // newest first
    bindings << limit + 1;
    auto query = m_database.run(sql, bindings);
    if (!query)
        return query.error();

    Page<QueueEntry> page;
    QList<qint64> ids;
    while (query->next())
    {
        ids.append(query->value(0).toLongLong());
        page.items.append(entryFromRow(*query, m_paths.queue()));
    }
    if (page.items.size() > limit)
    {
        page.items.resize(limit);
        ids.resize(limit);
        page.nextCursor = QString::number(ids.last());
    }
    if (const Status loaded = loadRecipients(m_database, page.items, ids); !loaded)
        return loaded.error();
    return page;
}

Result<QueueEntry> Spool::get(const QString& queueId) const
{
    auto query =
        m_database.run(u"SELECT "_s + kMessageColumns + u" FROM queue_messages m WHERE m.queue_id = ?"_s, {queueId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"there is no message %1 in the queue"_s.arg(queueId));
    QList<QueueEntry> entries{entryFromRow(*query, m_paths.queue())};
    if (const Status loaded = loadRecipients(m_database, entries, {query->value(0).toLongLong()}); !loaded)
        return loaded.error();
    return entries.first();
}

Status Spool::recover() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDir queue(m_paths.queue());
    constexpr auto kFiles = QDir::Files | QDir::Hidden | QDir::System;
    int removed = 0;

    // 1. Files still in tmp/ were never handed to the committer, or it failed them.
    for (const QFileInfo& leftover : QDir(queue.filePath(u"tmp"_s)).entryInfoList(kFiles))
    {
        if (!isOlderThanGrace(leftover, now))
            continue;
        if (QFile::remove(leftover.absoluteFilePath()))
            ++removed;
        else
            qCWarning(lcQueue).noquote() << "cannot remove" << leftover.absoluteFilePath();
    }

    // 2. The files in the buckets, listed before the rows are read: a file whose rows are
    // committed in between is then seen as referenced, not deleted.
    QHash<QString, QFileInfo> onDisk; // relative path → file
    for (const QString& bucket : queue.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
    {
        if (bucket.size() != 2 || !isQueueIdPrefix(bucket))
            continue; // not ours (tmp/, or something an administrator put there)
        for (const QFileInfo& file : QDir(queue.filePath(bucket)).entryInfoList(kFiles))
            onDisk.insert(bucket + u'/' + file.fileName(), file);
    }

    auto rows = m_database.run(u"SELECT queue_id, file FROM queue_messages"_s);
    if (!rows)
        return rows.error();
    QSet<QString> referenced;
    int missing = 0;
    while (rows->next())
    {
        const QString file = rows->value(1).toString();
        referenced.insert(file);
        if (!onDisk.contains(file) && !QFileInfo::exists(queue.filePath(file)))
        {
            // Acknowledged mail whose file is gone: the disk lost it or someone deleted it.
            qCWarning(lcQueue).noquote() << "queued message" << rows->value(0).toString() << "has lost its file"
                                         << queue.filePath(file);
            ++missing;
        }
    }

    // 3. A file without rows was never acknowledged (the crash came before the rows' commit).
    for (auto it = onDisk.cbegin(); it != onDisk.cend(); ++it)
    {
        if (referenced.contains(it.key()) || !isOlderThanGrace(it.value(), now))
            continue;
        if (QFile::remove(it.value().absoluteFilePath()))
            ++removed;
        else
            qCWarning(lcQueue).noquote() << "cannot remove" << it.value().absoluteFilePath();
    }
    qCInfo(lcQueue).noquote() << "queue recovery:" << referenced.size() << "messages," << removed
                              << "unacknowledged files removed," << missing << "files missing";
    return {};
}

} // namespace promail
