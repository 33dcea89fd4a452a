// The outbound spool on a real SQLite database and a real DurableCommitter: queue ids, message
// files and envelope rows, listing and search, failed jobs, start-up recovery and a full disk.
#include "core/datapaths.h"
#include "queue/queueid.h"
#include "queue/spool.h"
#include "storage/database.h"
#include "storage/durablecommitter.h"
#include "storage/migrations.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
template <typename T>
QByteArray failureText(const Result<T>& result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

const QByteArray kPrefix = "Received: by mx.example.org\r\n"_ba; // 29 bytes
const QByteArray kSource = "From: alice@example.org\r\nSubject: hi\r\n\r\nHello Bob.\r\n"_ba;

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// Sets a file's modification time two hours back, past recover()'s grace period.
bool makeOld(const QString& path)
{
    const time_t then = time_t(QDateTime::currentSecsSinceEpoch() - 7200);
    const struct utimbuf times
    {
        then, then
    };
    return ::utime(QFile::encodeName(path).constData(), &times) == 0;
}

// Every file below `directory`, relative to it, sorted.
QStringList filesBelow(const QString& directory)
{
    QStringList files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next().mid(directory.size() + 1));
    files.sort();
    return files;
}

int modeOf(const QString& path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QueuedRecipient recipient(const QString& address, const QString& notify = {}, const QString& orcpt = {})
{
    QueuedRecipient r;
    r.address = address;
    r.notify = notify;
    r.orcpt = orcpt;
    return r;
}

QueueEnvelope envelope(const QString& sender, const QList<QueuedRecipient>& recipients)
{
    QueueEnvelope e;
    e.sender = sender;
    e.recipients = recipients;
    return e;
}

QStringList queueIdsOf(const Page<QueueEntry>& page)
{
    QStringList ids;
    for (const QueueEntry& entry : page.items)
        ids.append(entry.queueId);
    return ids;
}
} // namespace

#define PROMAIL_VERIFY_OK(result)                                                                                      \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto& succeeded_ = (result);                                                                             \
        QVERIFY2(succeeded_.ok(), failureText(succeeded_).constData());                                                \
    } while (false)

class TestSpool : public QObject
{
    Q_OBJECT

private:
    // Rows as "a|b|c" strings, so expectations are literal text.
    QStringList rowsOf(const QString& sql, const QVariantList& bindings = {}) const
    {
        auto query = m_db->run(sql, bindings);
        if (!query)
            return {u"error: "_s + query.error().message};
        QStringList rows;
        while (query->next())
        {
            QStringList values;
            for (int i = 0; i < query->record().count(); ++i)
                values.append(query->value(i).toString());
            rows.append(values.join(u'|'));
        }
        return rows;
    }

    QString writeSource(const QByteArray& content, const QString& name = u"source.eml"_s) const
    {
        const QString path = m_dir->filePath(name);
        return writeFile(path, content) ? path : QString();
    }

    // Queues a message and commits it; the queue id, or "" (with a warning saying why) on failure.
    QString enqueue(const QueueEnvelope& env, const QByteArray& body = kSource)
    {
        auto prepared = m_spool->prepare(env, kPrefix, writeSource(body));
        if (!prepared)
        {
            qWarning("prepare: %s", failureText(prepared).constData());
            return {};
        }
        const QString id = prepared->queueId;
        if (const Status committed = m_committer->commit(std::move(prepared->job)); !committed)
        {
            qWarning("commit: %s", qPrintable(committed.error().message));
            return {};
        }
        return id;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<DataPaths> m_paths;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<DurableCommitter> m_committer;
    std::optional<Spool> m_spool;
    QString m_mountPoint;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_paths.emplace(m_dir->filePath(u"data"_s));
        PROMAIL_VERIFY_OK(m_paths->create());
        auto db = Database::open({}, m_paths->database());
        PROMAIL_VERIFY_OK(db);
        m_db = std::move(db.value());
        PROMAIL_VERIFY_OK(Migrations::apply(*m_db));
        m_committer = std::make_unique<DurableCommitter>(*m_db);
        m_spool.emplace(*m_db, *m_paths);
    }

    void cleanup()
    {
        m_spool.reset();
        m_committer.reset();
        m_db.reset();
        if (!m_mountPoint.isEmpty())
            ::umount2(QFile::encodeName(m_mountPoint).constData(), MNT_DETACH);
        m_mountPoint.clear();
        m_paths.reset();
        m_dir.reset();
    }

    void queueIdSyntax_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addRow("crockford digits") << u"0123456789ABCDEF"_s << true;
        QTest::addRow("high letters") << u"GHJKMNPQRSTVWXYZ"_s << true;
        QTest::addRow("15 characters") << u"0123456789ABCDE"_s << false;
        QTest::addRow("17 characters") << u"0123456789ABCDEFG"_s << false;
        QTest::addRow("lower case") << u"0123456789abcdef"_s << false;
        QTest::addRow("I is not used") << u"0123456789ABCDEI"_s << false;
        QTest::addRow("L is not used") << u"L123456789ABCDEF"_s << false;
        QTest::addRow("O is not used") << u"0123456789ABCDEO"_s << false;
        QTest::addRow("U is not used") << u"0123456789ABCDEU"_s << false;
        QTest::addRow("path") << u"../../etc/passwd"_s << false;
        QTest::addRow("empty") << QString() << false;
    }

    void queueIdSyntax()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(isQueueId(text), valid);
    }

    void newQueueIdsAreUniqueAndSpread()
    {
        QSet<QString> ids;
        QSet<QString> buckets;
        for (int i = 0; i < 5000; ++i)
        {
            const QString id = newQueueId();
            QVERIFY2(isQueueId(id), qPrintable(id));
            ids.insert(id);
            buckets.insert(id.left(2));
        }
        QCOMPARE(ids.size(), 5000);
        // 5000 draws from 1024 equally likely buckets miss fewer than 100 of them (p < 1e-20).
        QVERIFY2(buckets.size() > 924, QByteArray::number(buckets.size()).constData());
    }

    void prepareWritesTempFileAndCommitPublishesIt()
    {
        // Bigger than one 64 KiB copy chunk, and not a multiple of it.
        QByteArray body = kSource;
        while (body.size() < 200000)
            body += "0123456789 the quick brown fox jumps over the lazy dog\r\n"_ba;
        body.resize(200000);
        QueueEnvelope env = envelope(
            u"alice@example.org"_s, {recipient(u"bob@example.net"_s, u"SUCCESS,FAILURE"_s, u"rfc822;bob@example.net"_s),
                                     recipient(u"carol@example.com"_s, u"NEVER"_s)});
        env.envid = u"QQ314159"_s;
        env.ret = u"HDRS"_s;
        env.authenticatedUser = u"alice@example.org"_s;
        env.clientAddress = u"192.0.2.7"_s;
        env.messageId = u"<hi.1@example.org>"_s;
        // What the caller sets beyond the address and DSN parameters does not survive queueing.
        env.recipients[1].status = u"delivered"_s;
        env.recipients[1].attempts = 3;

        const qint64 before = QDateTime::currentSecsSinceEpoch();
        auto prepared = m_spool->prepare(env, kPrefix, writeSource(body));
        PROMAIL_VERIFY_OK(prepared);
        const QString id = prepared->queueId;
        QVERIFY(isQueueId(id));
        const QString tmpPath = m_paths->queue() + u"/tmp/"_s + id;
        const QString finalPath = m_paths->queue() + u'/' + id.left(2) + u'/' + id;
        QCOMPARE(prepared->job.files.size(), 1);
        QCOMPARE(prepared->job.files.first().tempPath, tmpPath);
        QCOMPARE(prepared->job.files.first().finalPath, finalPath);

        // Written and closed under its temporary name; nothing is visible yet.
        QVERIFY(QFileInfo::exists(tmpPath));
        QVERIFY(!QFileInfo::exists(finalPath));
        QCOMPARE(modeOf(m_paths->queue() + u'/' + id.left(2)), 0700);
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_messages"_s), QStringList{u"0"_s});
        QCOMPARE(m_spool->get(id).error().code, ErrorCode::NotFound);

        PROMAIL_VERIFY_OK(m_committer->commit(std::move(prepared->job)));
        const qint64 after = QDateTime::currentSecsSinceEpoch();
        QVERIFY(!QFileInfo::exists(tmpPath));
        const QByteArray content = readFile(finalPath);
        QCOMPARE(content.size(), 200029);
        QVERIFY(content == QByteArray(kPrefix + body));
        QCOMPARE(modeOf(finalPath), 0600);

        QCOMPARE(rowsOf(u"SELECT queue_id = ?, file = ?, sender, size, message_id, envid, ret, authenticated_user, "
                        "client_address, held FROM queue_messages"_s,
                        {id, QString(id.left(2) + u'/' + id)}),
                 QStringList{u"1|1|alice@example.org|200029|<hi.1@example.org>|QQ314159|HDRS|alice@example.org|"
                             "192.0.2.7|0"_s});
        QCOMPARE(rowsOf(u"SELECT queue_message_id, address, orcpt, notify, status, attempts, last_error "
                        "FROM queue_recipients ORDER BY id"_s),
                 (QStringList{u"1|bob@example.net|rfc822;bob@example.net|SUCCESS,FAILURE|pending|0|"_s,
                              u"1|carol@example.com||NEVER|pending|0|"_s}));

        const auto entry = m_spool->get(id);
        PROMAIL_VERIFY_OK(entry);
        QCOMPARE(entry->queueId, id);
        QCOMPARE(entry->file, finalPath);
        QCOMPARE(entry->size, qint64(200029));
        QCOMPARE(entry->held, false);
        QVERIFY(entry->createdAt.toSecsSinceEpoch() >= before && entry->createdAt.toSecsSinceEpoch() <= after);
        QCOMPARE(entry->createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(entry->envelope.sender, u"alice@example.org"_s);
        QCOMPARE(entry->envelope.envid, u"QQ314159"_s);
        QCOMPARE(entry->envelope.ret, u"HDRS"_s);
        QCOMPARE(entry->envelope.authenticatedUser, u"alice@example.org"_s);
        QCOMPARE(entry->envelope.clientAddress, u"192.0.2.7"_s);
        QCOMPARE(entry->envelope.messageId, u"<hi.1@example.org>"_s);
        QCOMPARE(entry->envelope.recipients.size(), 2);
        const QueuedRecipient& bob = entry->envelope.recipients.at(0);
        QCOMPARE(bob.address, u"bob@example.net"_s);
        QCOMPARE(bob.orcpt, u"rfc822;bob@example.net"_s);
        QCOMPARE(bob.notify, u"SUCCESS,FAILURE"_s);
        QCOMPARE(bob.status, u"pending"_s);
        QCOMPARE(bob.attempts, 0);
        QCOMPARE(bob.lastError, QString());
        QVERIFY(bob.nextAttemptAt.toSecsSinceEpoch() >= before && bob.nextAttemptAt.toSecsSinceEpoch() <= after);
        const QueuedRecipient& carol = entry->envelope.recipients.at(1);
        QCOMPARE(carol.address, u"carol@example.com"_s);
        QCOMPARE(carol.orcpt, QString());
        QCOMPARE(carol.notify, u"NEVER"_s);
        QCOMPARE(carol.status, u"pending"_s);
        QCOMPARE(carol.attempts, 0);
    }

    void nullSenderAndEmptySource()
    {
        // A bounce (MAIL FROM:<>) is queued like any other message.
        auto prepared =
            m_spool->prepare(envelope(QString(), {recipient(u"bob@example.net"_s)}), kPrefix, writeSource({}));
        PROMAIL_VERIFY_OK(prepared);
        const QString id = prepared->queueId;
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(prepared->job)));
        const auto entry = m_spool->get(id);
        PROMAIL_VERIFY_OK(entry);
        QCOMPARE(entry->envelope.sender, u""_s);
        QCOMPARE(entry->size, qint64(29));
        QCOMPARE(readFile(entry->file), kPrefix);
    }

    void prepareRefusesBadInput()
    {
        const auto none = m_spool->prepare(envelope(u"a@example.org"_s, {}), kPrefix, writeSource(kSource));
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::Invalid);
        QCOMPARE(none.error().field, u"recipients"_s);

        const QString missing = m_dir->filePath(u"no-such-source.eml"_s);
        const auto unreadable =
            m_spool->prepare(envelope(u"a@example.org"_s, {recipient(u"b@example.net"_s)}), kPrefix, missing);
        QVERIFY(!unreadable);
        QCOMPARE(unreadable.error().code, ErrorCode::Unavailable);
        QCOMPARE(unreadable.error().message, u"cannot open "_s + missing + u": No such file or directory"_s);
        QCOMPARE(filesBelow(m_paths->queue()), QStringList());
    }

    void getUnknown()
    {
        const auto entry = m_spool->get(u"0123456789ABCDEF"_s);
        QVERIFY(!entry);
        QCOMPARE(entry.error().code, ErrorCode::NotFound);
        QCOMPARE(entry.error().message, u"there is no message 0123456789ABCDEF in the queue"_s);
    }

    void listNewestFirstWithPaging()
    {
        QStringList ids;
        for (int i = 1; i <= 5; ++i)
        {
            ids.prepend(enqueue(envelope(u"sender%1@example.org"_s.arg(i), {recipient(u"r%1a@example.net"_s.arg(i)),
                                                                            recipient(u"r%1b@example.net"_s.arg(i))})));
            QVERIFY(!ids.first().isEmpty());
        }

        const auto all = m_spool->list({});
        PROMAIL_VERIFY_OK(all);
        QCOMPARE(queueIdsOf(*all), ids);
        QCOMPARE(all->nextCursor, QString());
        QCOMPARE(all->items.first().envelope.sender, u"sender5@example.org"_s);
        QCOMPARE(all->items.first().envelope.recipients.size(), 2);
        QCOMPARE(all->items.first().envelope.recipients.at(0).address, u"r5a@example.net"_s);
        QCOMPARE(all->items.first().envelope.recipients.at(1).address, u"r5b@example.net"_s);
        QCOMPARE(all->items.last().envelope.recipients.at(1).address, u"r1b@example.net"_s);

        PageRequest request;
        request.limit = 2;
        QStringList seen;
        QStringList cursors;
        for (int page = 0; page < 5; ++page)
        {
            const auto result = m_spool->list(request);
            PROMAIL_VERIFY_OK(result);
            QVERIFY(result->items.size() <= 2);
            seen += queueIdsOf(*result);
            for (const QueueEntry& entry : result->items)
                QCOMPARE(entry.envelope.recipients.size(), 2);
            cursors.append(result->nextCursor);
            if (result->nextCursor.isEmpty())
                break;
            request.cursor = result->nextCursor;
        }
        QCOMPARE(seen, ids);
        // The cursor is the row id of the last message of the page (rows 5 4 | 3 2 | 1).
        QCOMPARE(cursors, (QStringList{u"4"_s, u"2"_s, QString()}));

        request.cursor = u"not-a-number"_s;
        const auto bad = m_spool->list(request);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::Invalid);
        QCOMPARE(bad.error().field, u"cursor"_s);
    }

    void listFilter_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected"); // message names, newest first
        QTest::addRow("sender, any case") << u"ALICE"_s << QStringList{u"first"_s};
        QTest::addRow("recipient") << u"carol@"_s << QStringList{u"second"_s};
        QTest::addRow("recipient domain") << u"example.net"_s << QStringList{u"second"_s, u"first"_s};
        QTest::addRow("sender or recipient") << u"example.org"_s << QStringList{u"third"_s, u"first"_s};
        QTest::addRow("percent matches itself") << u"0%s"_s << QStringList{u"third"_s};
        QTest::addRow("percent is no wildcard") << u"a%e"_s << QStringList();
        QTest::addRow("underscore is literal") << u"o_"_s << QStringList();
        QTest::addRow("queue id") << u"<id of second>"_s << QStringList{u"second"_s};
        QTest::addRow("queue id in lower case") << u"<lower id of second>"_s << QStringList{u"second"_s};
        QTest::addRow("nothing") << u"zebra"_s << QStringList();
    }

    void listFilter()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        QHash<QString, QString> names; // queue id → name
        const QString first = enqueue(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}));
        const QString second =
            enqueue(envelope(QString(), {recipient(u"carol@example.com"_s), recipient(u"dave@example.net"_s)}));
        const QString third = enqueue(envelope(u"100%sure@example.org"_s, {recipient(u"erin@example.com"_s)}));
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !third.isEmpty());
        names.insert(first, u"first"_s);
        names.insert(second, u"second"_s);
        names.insert(third, u"third"_s);
        if (query == u"<id of second>"_s)
            query = second.mid(3, 10);
        else if (query == u"<lower id of second>"_s)
            query = second.toLower();

        PageRequest request;
        request.query = query;
        const auto page = m_spool->list(request);
        PROMAIL_VERIFY_OK(page);
        QStringList found;
        for (const QueueEntry& entry : page->items)
            found.append(names.value(entry.queueId, entry.queueId));
        QCOMPARE(found, expected);
        // A match on one recipient still lists all of the message's recipients.
        for (const QueueEntry& entry : page->items)
        {
            if (entry.queueId == second)
                QCOMPARE(entry.envelope.recipients.size(), 2);
        }
    }

    void failingRowsLeaveNoFile()
    {
        // The queue id is taken by the time the rows are written: the job fails, its file goes.
        auto prepared = m_spool->prepare(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}), kPrefix,
                                         writeSource(kSource));
        PROMAIL_VERIFY_OK(prepared);
        const FileCommit file = prepared->job.files.value(0);
        PROMAIL_VERIFY_OK(m_db->run(u"INSERT INTO queue_messages (queue_id, file, sender, size, created_at) "
                                    "VALUES (?, 'elsewhere', 'x@example.org', 1, 1)"_s,
                                    {prepared->queueId}));
        const Status status = m_committer->commit(std::move(prepared->job));
        QVERIFY(!status);
        QCOMPARE(status.error().code, ErrorCode::Conflict);
        QVERIFY(!QFileInfo::exists(file.tempPath));
        QVERIFY(!QFileInfo::exists(file.finalPath));
        QCOMPARE(filesBelow(m_paths->queue()), QStringList());
        QCOMPARE(rowsOf(u"SELECT file, sender FROM queue_messages"_s), QStringList{u"elsewhere|x@example.org"_s});
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_recipients"_s), QStringList{u"0"_s});
    }

    void failingRecipientRowRollsBackTheMessage()
    {
        // The second recipient's row fails after the message row was written: neither stays.
        PROMAIL_VERIFY_OK(m_db->run(u"CREATE TRIGGER refuse BEFORE INSERT ON queue_recipients "
                                    "WHEN NEW.address = 'refused@example.net' "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"_s));
        auto prepared = m_spool->prepare(
            envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s), recipient(u"refused@example.net"_s)}),
            kPrefix, writeSource(kSource));
        PROMAIL_VERIFY_OK(prepared);
        const Status status = m_committer->commit(std::move(prepared->job));
        QVERIFY(!status);
        QCOMPARE(filesBelow(m_paths->queue()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_messages"_s), QStringList{u"0"_s});
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_recipients"_s), QStringList{u"0"_s});

        // The next message is not affected.
        const QString id = enqueue(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}));
        QVERIFY(!id.isEmpty());
        QCOMPARE(filesBelow(m_paths->queue()), QStringList{id.left(2) + u'/' + id});
    }

    void recoverSweepsUnacknowledgedFiles()
    {
        const QString kept = enqueue(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}));
        const QString lost = enqueue(envelope(u"alice@example.org"_s, {recipient(u"carol@example.net"_s)}));
        QVERIFY(!kept.isEmpty() && !lost.isEmpty());
        const QString queue = m_paths->queue();
        const QString keptFile = kept.left(2) + u'/' + kept;
        QVERIFY(makeOld(queue + u'/' + keptFile));
        QVERIFY(QFile::remove(queue + u'/' + lost.left(2) + u'/' + lost));

        // A crash before the rename (tmp/) and one between the rename and the rows' commit.
        QVERIFY(writeFile(queue + u"/tmp/0000000000000001"_s, "half a messa"_ba));
        QVERIFY(makeOld(queue + u"/tmp/0000000000000001"_s));
        QVERIFY(QDir().mkpath(queue + u"/ZZ"_s));
        QVERIFY(writeFile(queue + u"/ZZ/ZZ00000000000001"_s, "Subject: never acknowledged\r\n\r\n"_ba));
        QVERIFY(makeOld(queue + u"/ZZ/ZZ00000000000001"_s));
        // Files just written may belong to a commit under way (another node): they stay.
        QVERIFY(writeFile(queue + u"/tmp/0000000000000002"_s, "being written"_ba));
        QVERIFY(writeFile(queue + u"/ZZ/ZZ00000000000002"_s, "about to be committed"_ba));
        // Not a bucket: not the spool's to clean.
        QVERIFY(QDir().mkpath(queue + u"/notes"_s));
        QVERIFY(writeFile(queue + u"/notes/readme"_s, "admin's notes"_ba));
        QVERIFY(makeOld(queue + u"/notes/readme"_s));

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^queued message "_s + lost + u" has lost its file "_s +
                                                              QRegularExpression::escape(queue) + u"/"_s +
                                                              lost.left(2) + u"/"_s + lost + u"$"_s));
        PROMAIL_VERIFY_OK(m_spool->recover());

        QStringList expected{u"ZZ/ZZ00000000000002"_s, keptFile, u"notes/readme"_s, u"tmp/0000000000000002"_s};
        expected.sort();
        QCOMPARE(filesBelow(queue), expected);
        // Rows are never dropped by the sweep; the lost message stays visible for the administrator.
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_messages"_s), QStringList{u"2"_s});
        PROMAIL_VERIFY_OK(m_spool->get(kept));
        QCOMPARE(readFile(queue + u'/' + keptFile), QByteArray(kPrefix + kSource));
    }

    void diskFullLeavesNoPartialFile()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root");
        // Only data_dir/queue is small: the database stays on the real disk.
        const QByteArray target = QFile::encodeName(m_paths->queue());
        if (::mount("tmpfs", target.constData(), "tmpfs", 0, "size=256k,mode=0700") != 0)
            QSKIP("cannot mount a tmpfs here (no CAP_SYS_ADMIN?)");
        m_mountPoint = m_paths->queue();

        const auto full = m_spool->prepare(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}), kPrefix,
                                           writeSource(QByteArray(512 * 1024, 'x'), u"big.eml"_s));
        QVERIFY(!full);
        QCOMPARE(full.error().code, ErrorCode::Unavailable);
        QVERIFY2(full.error().message.startsWith(u"cannot write "_s + m_paths->queue() + u"/tmp/"_s),
                 qPrintable(full.error().message));
        QVERIFY2(full.error().message.endsWith(u": No space left on device"_s), qPrintable(full.error().message));
        QCOMPARE(filesBelow(m_paths->queue()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM queue_messages"_s), QStringList{u"0"_s});

        // The partial file was removed, so its space is free again: a 200 KiB message fits.
        const QString id =
            enqueue(envelope(u"alice@example.org"_s, {recipient(u"bob@example.net"_s)}), QByteArray(200 * 1024, 'y'));
        QVERIFY(!id.isEmpty());
        QCOMPARE(filesBelow(m_paths->queue()), QStringList{id.left(2) + u'/' + id});
        QCOMPARE(rowsOf(u"SELECT size FROM queue_messages"_s), QStringList{u"204829"_s});
    }
};

QTEST_GUILESS_MAIN(TestSpool)
#include "tst_spool.moc"
