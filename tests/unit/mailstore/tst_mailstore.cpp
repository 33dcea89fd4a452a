// The mail store on a real SQLite database and a real DurableCommitter: standard folders, delivery
// into Maildir files, UIDs under concurrent submits, failed jobs, a full disk and start-up recovery.
#include "mailstore/mailstore.h"
#include "mailstorefixture.h"
#include "storage/durablecommitter.h"

#include <QAtomicInt>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <memory>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
const QByteArray kSource = "From: sender@example.net\r\nSubject: hello\r\nMessage-ID: <1@example.net>\r\n\r\n"
                           "Hello Alice.\r\n"_ba;
const QByteArray kAlicePrefix = "Return-Path: <sender@example.net>\r\nDelivered-To: alice@example.org\r\n"_ba;

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
} // namespace

class TestMailStore : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private:
    QString mailboxDir(const QString& localPart) const
    {
        return m_paths->mailboxDirectory(u"example.org"_s, localPart);
    }

    qint64 addMailbox(const QString& localPart)
    {
        const auto inserted = m_db->run(u"INSERT INTO mailboxes (domain_id, local_part, password_hash, created_at, "
                                        "updated_at) VALUES (1, ?, 'x', 1, 1)"_s,
                                        {localPart});
        return inserted ? inserted->lastInsertId().toLongLong() : -1;
    }

    Delivery deliveryFor(const QString& localPart, qint64 mailboxId, const QString& folder = u"INBOX"_s) const
    {
        Delivery delivery;
        delivery.mailboxId = mailboxId;
        delivery.domain = u"example.org"_s;
        delivery.localPart = localPart;
        delivery.folder = folder;
        delivery.prefix = "Delivered-To: "_ba + localPart.toUtf8() + "@example.org\r\n"_ba;
        delivery.messageId = u"1@example.net"_s;
        return delivery;
    }

    QString writeSource(const QByteArray& content, const QString& name = u"source.eml"_s) const
    {
        const QString path = m_dir->filePath(name);
        return writeFile(path, content) ? path : QString();
    }

    qint64 m_bob = 0;
    qint64 m_carol = 0;
    QString m_mountPoint;

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase(); // alice
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_bob = addMailbox(u"bob"_s);
        m_carol = addMailbox(u"carol"_s);
        QCOMPARE(m_alice, 1);
        QCOMPARE(m_carol, 3);
        openStore();
    }

    void cleanup()
    {
        closeDatabase();
        if (!m_mountPoint.isEmpty())
            ::umount2(QFile::encodeName(m_mountPoint).constData(), MNT_DETACH);
        m_mountPoint.clear();
        tearDown();
    }

    void standardFolderList()
    {
        QStringList folders;
        for (const StandardFolder& folder : MailStore::standardFolders())
            folders.append(folder.name + u'|' + folder.specialUse);
        QCOMPARE(folders, (QStringList{u"INBOX|"_s, u"Drafts|\\Drafts"_s, u"Sent|\\Sent"_s, u"Trash|\\Trash"_s,
                                       u"Spam|\\Junk"_s, u"Archive|\\Archive"_s}));
    }

    void standardFoldersCreatedOnce()
    {
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(m_alice));
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(m_alice));
        const qint64 after = QDateTime::currentSecsSinceEpoch();
        QCOMPARE(rowsOf(u"SELECT id, name, special_use, uidnext, highest_modseq, subscribed FROM folders "
                        "WHERE mailbox_id = ? ORDER BY id"_s,
                        {m_alice}),
                 (QStringList{u"1|INBOX||1|1|1"_s, u"2|Drafts|\\Drafts|1|1|1"_s, u"3|Sent|\\Sent|1|1|1"_s,
                              u"4|Trash|\\Trash|1|1|1"_s, u"5|Spam|\\Junk|1|1|1"_s, u"6|Archive|\\Archive|1|1|1"_s}));
        const QStringList validity = rowsOf(u"SELECT MIN(uidvalidity), MAX(uidvalidity) FROM folders"_s);
        QCOMPARE(validity.size(), 1);
        QVERIFY(validity[0].section(u'|', 0, 0).toLongLong() >= before);
        QVERIFY(validity[0].section(u'|', 1, 1).toLongLong() <= after);
    }

    void standardFoldersRaceBetweenThreads()
    {
        QList<qint64> mailboxes{m_alice, m_bob, m_carol};
        for (int i = 0; i < 5; ++i)
            mailboxes.append(addMailbox(u"racer%1"_s.arg(i)));
        QAtomicInt failures;
        QAtomicInt ready;
        auto racer = [&]
        {
            ready.fetchAndAddOrdered(1);
            while (ready.loadAcquire() < 2)
                QThread::yieldCurrentThread();
            for (const qint64 mailbox : std::as_const(mailboxes))
            {
                if (!m_store->ensureStandardFolders(mailbox))
                    failures.fetchAndAddRelaxed(1);
            }
        };
        std::unique_ptr<QThread> first(QThread::create(racer));
        std::unique_ptr<QThread> second(QThread::create(racer));
        first->start();
        second->start();
        QVERIFY(first->wait(60000));
        QVERIFY(second->wait(60000));
        QCOMPARE(failures.loadRelaxed(), 0);
        QCOMPARE(rowsOf(u"SELECT COUNT(*), COUNT(DISTINCT mailbox_id) FROM folders"_s), QStringList{u"48|8"_s});
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders GROUP BY mailbox_id HAVING COUNT(*) <> 6"_s), QStringList());
    }

    void ensureStandardFoldersOfUnknownMailbox()
    {
        const Status status = m_store->ensureStandardFolders(999);
        QVERIFY(!status);
        QCOMPARE(status.error().code, ErrorCode::NotFound);
        QCOMPARE(status.error().message, u"mailbox 999 does not exist"_s);
    }

    void deliverToInbox()
    {
        const QString source = writeSource(kSource);
        Delivery delivery = deliveryFor(u"alice"_s, m_alice);
        delivery.prefix = kAlicePrefix;
        auto job = m_store->prepare({delivery}, source, QDateTime::fromSecsSinceEpoch(1700000000));
        PROMAIL_VERIFY_OK(job);
        QCOMPARE(job->files.size(), 1);
        const QString inbox = mailboxDir(u"alice"_s) + u"/1"_s;
        // Written and closed under tmp/, nothing in new/ until the committer publishes it.
        QVERIFY(job->files[0].tempPath.startsWith(inbox + u"/tmp/"_s));
        QCOMPARE(job->files[0].finalPath, inbox + u"/new/"_s + QFileInfo(job->files[0].tempPath).fileName());
        QCOMPARE(readFile(job->files[0].tempPath), kAlicePrefix + kSource);
        QCOMPARE(filesBelow(inbox + u"/new"_s), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages"_s), QStringList{u"0"_s});

        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));

        const QStringList files = filesBelow(inbox);
        QCOMPARE(files.size(), 1);
        QVERIFY2(QRegularExpression(u"^new/[0-9]+\\.M[0-9]+P[0-9]+Q[0-9]+\\..+$"_s).match(files[0]).hasMatch(),
                 qPrintable(files[0]));
        const QString path = inbox + u'/' + files[0];
        QCOMPARE(readFile(path), "Return-Path: <sender@example.net>\r\nDelivered-To: alice@example.org\r\n"
                                 "From: sender@example.net\r\nSubject: hello\r\nMessage-ID: <1@example.net>\r\n\r\n"
                                 "Hello Alice.\r\n"_ba);
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(inbox), 0700);
        QCOMPARE(modeOf(inbox + u"/new"_s), 0700);
        QCOMPARE(modeOf(inbox + u"/cur"_s), 0700);
        QCOMPARE(rowsOf(u"SELECT folder_id, uid, modseq, file, size, internal_date, flags, message_id FROM messages"_s),
                 QStringList{u"1|1|2|1/"_s + files[0] + u"|155|1700000000||1@example.net"_s});
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"2|2"_s});
        auto usage = m_store->usage(m_alice);
        PROMAIL_VERIFY_OK(usage);
        QCOMPARE(usage->bytes, 155);
        QCOMPARE(usage->messages, 1);

        // The next message takes the next UID and MODSEQ and adds to the usage.
        auto second = m_store->prepare({delivery}, source, QDateTime::fromSecsSinceEpoch(1700000060));
        PROMAIL_VERIFY_OK(second);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(second.value())));
        QCOMPARE(rowsOf(u"SELECT uid, modseq, size, internal_date FROM messages ORDER BY uid"_s),
                 (QStringList{u"1|2|155|1700000000"_s, u"2|3|155|1700000060"_s}));
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"3|3"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages, warned_percent FROM mailbox_usage"_s), QStringList{u"310|2|0"_s});
        QCOMPARE(filesBelow(inbox + u"/tmp"_s), QStringList());
    }

    void deliverToThreeMailboxes()
    {
        const QString source = writeSource(kSource);
        auto job = m_store->prepare(
            {deliveryFor(u"alice"_s, m_alice), deliveryFor(u"bob"_s, m_bob), deliveryFor(u"carol"_s, m_carol)}, source,
            QDateTime::fromSecsSinceEpoch(1700000000));
        PROMAIL_VERIFY_OK(job);
        QCOMPARE(job->files.size(), 3);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));

        // Folders 1-6 are alice's, 7-12 bob's, 13-18 carol's: each INBOX got UID 1.
        QCOMPARE(rowsOf(u"SELECT f.mailbox_id, f.name, m.uid, m.modseq, m.size FROM messages m "
                        "JOIN folders f ON f.id = m.folder_id ORDER BY f.mailbox_id"_s),
                 (QStringList{u"1|INBOX|1|2|120"_s, u"2|INBOX|1|2|118"_s, u"3|INBOX|1|2|120"_s}));
        QCOMPARE(rowsOf(u"SELECT mailbox_id, bytes, messages FROM mailbox_usage ORDER BY mailbox_id"_s),
                 (QStringList{u"1|120|1"_s, u"2|118|1"_s, u"3|120|1"_s}));
        const QStringList bobFiles = filesBelow(mailboxDir(u"bob"_s));
        QCOMPARE(bobFiles.size(), 1);
        QVERIFY(bobFiles[0].startsWith(u"7/new/"_s));
        QCOMPARE(readFile(mailboxDir(u"bob"_s) + u'/' + bobFiles[0]), "Delivered-To: bob@example.org\r\n"_ba + kSource);
        const QStringList carolFiles = filesBelow(mailboxDir(u"carol"_s));
        QCOMPARE(carolFiles.size(), 1);
        QVERIFY(carolFiles[0].startsWith(u"13/new/"_s));
        QCOMPARE(readFile(mailboxDir(u"carol"_s) + u'/' + carolFiles[0]),
                 "Delivered-To: carol@example.org\r\n"_ba + kSource);
    }

    void newFolderCreatedOnDemand()
    {
        const QString source = writeSource(kSource);
        auto job = m_store->prepare({deliveryFor(u"alice"_s, m_alice, u"news"_s)}, source, QDateTime());
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
        QCOMPARE(
            rowsOf(u"SELECT id, name, special_use, uidnext FROM folders WHERE mailbox_id = ? ORDER BY id"_s, {m_alice}),
            (QStringList{u"1|INBOX||1"_s, u"2|Drafts|\\Drafts|1"_s, u"3|Sent|\\Sent|1"_s, u"4|Trash|\\Trash|1"_s,
                         u"5|Spam|\\Junk|1"_s, u"6|Archive|\\Archive|1"_s, u"7|news||2"_s}));
        QCOMPARE(rowsOf(u"SELECT folder_id, uid FROM messages"_s), QStringList{u"7|1"_s});
        const QStringList files = filesBelow(mailboxDir(u"alice"_s));
        QCOMPARE(files.size(), 1);
        QVERIFY(files[0].startsWith(u"7/new/"_s));
    }

    void inboxNameIsCaseInsensitive()
    {
        // RFC 9051 §5.1: "inbox" in any case is INBOX.
        const QString source = writeSource(kSource);
        auto job = m_store->prepare({deliveryFor(u"alice"_s, m_alice, u"Inbox"_s)}, source, QDateTime());
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders"_s), QStringList{u"6"_s});
        QCOMPARE(rowsOf(u"SELECT f.name, m.uid FROM messages m JOIN folders f ON f.id = m.folder_id"_s),
                 QStringList{u"INBOX|1"_s});
    }

    void unsafeNamesAreRefused_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("localPart");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("field");
        QTest::addRow("dot-dot domain") << u".."_s << u"alice"_s << u"INBOX"_s << u"domain"_s;
        QTest::addRow("slash in local part") << u"example.org"_s << u"a/../b"_s << u"INBOX"_s << u"local_part"_s;
        QTest::addRow("empty local part") << u"example.org"_s << u""_s << u"INBOX"_s << u"local_part"_s;
        QTest::addRow("empty folder") << u"example.org"_s << u"alice"_s << u""_s << u"folder"_s;
    }

    void unsafeNamesAreRefused()
    {
        QFETCH(QString, domain);
        QFETCH(QString, localPart);
        QFETCH(QString, folder);
        QFETCH(QString, field);
        Delivery bad = deliveryFor(u"alice"_s, m_alice, folder);
        bad.domain = domain;
        bad.localPart = localPart;
        // The good copy before it is taken back as well.
        const auto job = m_store->prepare({deliveryFor(u"bob"_s, m_bob), bad}, writeSource(kSource), QDateTime());
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Invalid);
        QCOMPARE(job.error().field, field);
        QCOMPARE(filesBelow(m_paths->mail()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders"_s), QStringList{u"0"_s});
    }

    void sourceOffset_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<int>("size");
        QTest::addRow("whole source") << qint64(0) << "X-Copy: 1\r\n"_ba
                                      << "X-Copy: 1\r\nFrom: sender@example.net\r\nSubject: hello\r\n"
                                         "Message-ID: <1@example.net>\r\n\r\nHello Alice.\r\n"_ba
                                      << 98;
        // The prefix carries a rewritten first header field in place of the original one.
        QTest::addRow("rewritten first field")
            << qint64(26) << "From: [list] sender@example.net\r\n"_ba
            << "From: [list] sender@example.net\r\nSubject: hello\r\nMessage-ID: <1@example.net>\r\n\r\n"
               "Hello Alice.\r\n"_ba
            << 94;
        QTest::addRow("prefix only") << qint64(87) << "X: y\r\n"_ba
                                     << "X: y\r\n"_ba << 6;
    }

    void sourceOffset()
    {
        QFETCH(qint64, offset);
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, expected);
        QFETCH(int, size);
        Delivery delivery = deliveryFor(u"alice"_s, m_alice);
        delivery.prefix = prefix;
        delivery.sourceOffset = offset;
        auto job = m_store->prepare({delivery}, writeSource(kSource), QDateTime());
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
        const QStringList files = filesBelow(mailboxDir(u"alice"_s));
        QCOMPARE(files.size(), 1);
        QCOMPARE(readFile(mailboxDir(u"alice"_s) + u'/' + files[0]), expected);
        QCOMPARE(rowsOf(u"SELECT size FROM messages"_s), QStringList{QString::number(size)});
    }

    void sourceOffsetOutsideTheMessage_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addRow("negative") << qint64(-1);
        QTest::addRow("past the end") << qint64(88);
    }

    void sourceOffsetOutsideTheMessage()
    {
        QFETCH(qint64, offset);
        Delivery delivery = deliveryFor(u"alice"_s, m_alice);
        delivery.sourceOffset = offset;
        const auto job = m_store->prepare({delivery}, writeSource(kSource), QDateTime());
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Invalid);
        QCOMPARE(job.error().field, u"source_offset"_s);
        QCOMPARE(job.error().message, u"offset %1 lies outside the message (87 bytes)"_s.arg(offset));
        QCOMPARE(filesBelow(m_paths->mail()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders"_s), QStringList{u"0"_s});
    }

    void concurrentSubmitsGetConsecutiveUids()
    {
        const QString source = writeSource(kSource);
        QAtomicInt done;
        QAtomicInt failures;
        QStringList errors;
        auto sender = [&](int thread)
        {
            for (int i = 0; i < 50; ++i)
            {
                Delivery delivery = deliveryFor(u"alice"_s, m_alice);
                delivery.prefix = "X-Seq: "_ba + QByteArray::number(thread) + '-' + QByteArray::number(i) + "\r\n"_ba;
                auto job = m_store->prepare({delivery}, source, QDateTime::fromSecsSinceEpoch(1700000000));
                if (!job)
                {
                    failures.fetchAndAddRelaxed(1);
                    done.fetchAndAddRelaxed(1);
                    continue;
                }
                // `done` runs in this test object's (the main) thread.
                m_committer->submit(std::move(job.value()), this,
                                    [&](Status status)
                                    {
                                        if (!status)
                                        {
                                            errors.append(status.error().message);
                                            failures.fetchAndAddRelaxed(1);
                                        }
                                        done.fetchAndAddRelaxed(1);
                                    });
            }
        };
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t)
        {
            threads.emplace_back(QThread::create(sender, t));
            threads.back()->start();
        }
        for (auto& thread : threads)
            QVERIFY(thread->wait(120000));
        QTRY_COMPARE_WITH_TIMEOUT(done.loadRelaxed(), 200, 120000);
        QCOMPARE(failures.loadRelaxed(), 0);
        QCOMPARE(errors, QStringList());

        QStringList expectedUids;
        for (int uid = 1; uid <= 200; ++uid)
            expectedUids.append(QString::number(uid));
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 1 ORDER BY uid"_s), expectedUids);
        QCOMPARE(rowsOf(u"SELECT COUNT(DISTINCT modseq), MIN(modseq), MAX(modseq), COUNT(DISTINCT file) "
                        "FROM messages"_s),
                 QStringList{u"200|2|201|200"_s});
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"201|201"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"19960|200"_s});
        // Every row names its own file, and every copy is there once.
        QStringList sequences;
        for (const QString& file : rowsOf(u"SELECT file FROM messages"_s))
            sequences.append(QString::fromLatin1(readFile(mailboxDir(u"alice"_s) + u'/' + file).split('\r').first()));
        QStringList expectedSequences;
        for (int thread = 0; thread < 4; ++thread)
        {
            for (int i = 0; i < 50; ++i)
                expectedSequences.append(u"X-Seq: %1-%2"_s.arg(thread).arg(i));
        }
        sequences.sort();
        expectedSequences.sort();
        QCOMPARE(sequences, expectedSequences);
        QCOMPARE(filesBelow(mailboxDir(u"alice"_s) + u"/1/new"_s).size(), 200);
        QCOMPARE(filesBelow(mailboxDir(u"alice"_s) + u"/1/tmp"_s), QStringList());
    }

    void failedRowsLeaveNoFile()
    {
        auto job = m_store->prepare({deliveryFor(u"carol"_s, m_carol)}, writeSource(kSource), QDateTime());
        PROMAIL_VERIFY_OK(job);
        const FileCommit file = job->files.value(0);
        QVERIFY(QFileInfo::exists(file.tempPath));
        // The mailbox goes (and its folders with it) between DATA and the commit.
        PROMAIL_VERIFY_OK(m_db->run(u"DELETE FROM mailboxes WHERE id = ?"_s, {m_carol}));
        const Status status = m_committer->commit(std::move(job.value()));
        QVERIFY(!status);
        QCOMPARE(status.error().code, ErrorCode::NotFound);
        QCOMPARE(status.error().message, u"folder 1 of mailbox 3 no longer exists"_s);
        QVERIFY(!QFileInfo::exists(file.tempPath));
        QVERIFY(!QFileInfo::exists(file.finalPath));
        QCOMPARE(filesBelow(m_paths->mail()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages"_s), QStringList{u"0"_s});
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM mailbox_usage"_s), QStringList{u"0"_s});
    }

    void diskFullLeavesNoPartialFile()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root");
        // Only data_dir/mail is small: the database stays on the real disk.
        const QByteArray target = QFile::encodeName(m_paths->mail());
        if (::mount("tmpfs", target.constData(), "tmpfs", 0, "size=256k,mode=0700") != 0)
            QSKIP("cannot mount a tmpfs here (no CAP_SYS_ADMIN?)");
        m_mountPoint = m_paths->mail();

        // Two 100 KiB copies fit, the third does not: all three must go.
        const QString big = writeSource(QByteArray(100 * 1024, 'x'), u"big.eml"_s);
        const auto job = m_store->prepare(
            {deliveryFor(u"alice"_s, m_alice), deliveryFor(u"bob"_s, m_bob), deliveryFor(u"carol"_s, m_carol)}, big,
            QDateTime());
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Unavailable);
        QVERIFY2(job.error().message.endsWith(u": No space left on device"_s), qPrintable(job.error().message));
        QCOMPARE(filesBelow(m_paths->mail()), QStringList());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages"_s), QStringList{u"0"_s});

        // Once there is room again, delivery works.
        auto small = m_store->prepare({deliveryFor(u"alice"_s, m_alice)}, writeSource(kSource), QDateTime());
        PROMAIL_VERIFY_OK(small);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(small.value())));
        QCOMPARE(rowsOf(u"SELECT uid, size FROM messages"_s), QStringList{u"1|120"_s});
    }

    void recoverSweepsAndIndexes()
    {
        const QString source = writeSource(kSource);
        auto job =
            m_store->prepare({deliveryFor(u"alice"_s, m_alice)}, source, QDateTime::fromSecsSinceEpoch(1700000000));
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
        const QString alice = mailboxDir(u"alice"_s);

        // A crash before the rename, one between the rename and the commit, and a lost file.
        QVERIFY(writeFile(alice + u"/1/tmp/1699999999.M1P1Q1.host"_s, "half a messa"_ba));
        QVERIFY(writeFile(alice + u"/1/tmp/garbage"_s, "junk"_ba));
        const QString orphan = alice + u"/1/new/1700000050.M7P7Q7.host"_s;
        QVERIFY(writeFile(orphan, "Subject: orphan\r\n\r\nlost\r\n"_ba));
        const struct utimbuf times
        {
            1700000100, 1700000100
        };
        QCOMPARE(::utime(QFile::encodeName(orphan).constData(), &times), 0);
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(m_bob));
        const QString bobMissing = u"7/new/1700000000.M1P1Q1.gone"_s;
        PROMAIL_VERIFY_OK(m_db->run(
            u"INSERT INTO messages (folder_id, uid, modseq, file, size, internal_date) VALUES (7, 1, 2, ?, 10, 1)"_s,
            {bobMissing}));
        QVERIFY(QDir().mkpath(mailboxDir(u"bob"_s)));

        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^message file .*/bob/7/new/1700000000\\.M1P1Q1\\.gone is missing; "
                                                "its row is kept$"_s));
        PROMAIL_VERIFY_OK(m_store->recover());

        QCOMPARE(filesBelow(alice + u"/1/tmp"_s), QStringList());
        QCOMPARE(rowsOf(u"SELECT uid, modseq, file, size, internal_date, flags, message_id FROM messages "
                        "WHERE folder_id = 1 ORDER BY uid"_s)
                     .mid(1),
                 QStringList{u"2|3|1/new/1700000050.M7P7Q7.host|25|1700000100||"_s});
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"3|3"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage WHERE mailbox_id = 1"_s), QStringList{u"145|2"_s});
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 7"_s), QStringList{u"1"_s});

        // A second run finds nothing new to do.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"\\.gone is missing"_s));
        PROMAIL_VERIFY_OK(m_store->recover());
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages"_s), QStringList{u"3"_s});
    }

    void usageAndWarnedPercent()
    {
        auto empty = m_store->usage(m_bob);
        PROMAIL_VERIFY_OK(empty);
        QCOMPARE(empty->bytes, 0);
        QCOMPARE(empty->messages, 0);
        QCOMPARE(empty->warnedPercent, 0);

        PROMAIL_VERIFY_OK(m_store->setWarnedPercent(m_bob, 80));
        auto job = m_store->prepare({deliveryFor(u"bob"_s, m_bob)}, writeSource(kSource), QDateTime());
        PROMAIL_VERIFY_OK(job);
        PROMAIL_VERIFY_OK(m_committer->commit(std::move(job.value())));
        PROMAIL_VERIFY_OK(m_store->setWarnedPercent(m_bob, 95));
        auto used = m_store->usage(m_bob);
        PROMAIL_VERIFY_OK(used);
        QCOMPARE(used->bytes, 118);
        QCOMPARE(used->messages, 1);
        QCOMPARE(used->warnedPercent, 95);

        const Status unknown = m_store->setWarnedPercent(999, 80);
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestMailStore)
#include "tst_mailstore.moc"
