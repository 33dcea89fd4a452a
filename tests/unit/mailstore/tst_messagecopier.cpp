// COPY and MOVE on a real SQLite database with the DurableCommitter: the UIDPLUS mapping, hard
// links, flags, MODSEQs, usage, quota refusals, failed jobs and spam training events.
#include "mailstore/messagecopier.h"
#include "mailstorefixture.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <optional>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
int linkCount(const QString& path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_nlink) : 0;
}

QStringList filesIn(const QString& directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

// Folder ids of the standard folders, in the order MailStore creates them.
constexpr qint64 kInbox = 1;
constexpr qint64 kTrash = 4;
constexpr qint64 kSpam = 5;
constexpr qint64 kArchive = 6;
} // namespace

class TestMessageCopier : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private:
    QString mailboxDir() const { return m_paths->mailboxDirectory(u"example.org"_s, u"alice"_s); }
    QString folderDir(qint64 id) const { return mailboxDir() + u'/' + QString::number(id); }
    QString fileOf(qint64 folderId, qint64 uid) const
    {
        return mailboxDir() + u'/' +
               rowsOf(u"SELECT file FROM messages WHERE folder_id = ? AND uid = ?"_s, {folderId, uid}).value(0);
    }

    std::optional<MessageCopier> m_copier;

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        openStore();
        m_copier.emplace(*m_db, *m_paths, *m_committer);
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailboxes SET quota_mib = 0"_s));
        // INBOX 1..3 (13, 16, 16 bytes), Archive 1..6; the Message-IDs are for the spam training events.
        deliver("one\r\n"_ba, u"INBOX"_s, u"one@example.net"_s);
        deliver("second\r\n"_ba, u"INBOX"_s, u"second@example.net"_s);
        deliver("third!\r\n"_ba, u"INBOX"_s, u"third!@example.net"_s);
        for (int i = 0; i < 6; ++i)
            deliver("archived\r\n"_ba, u"Archive"_s, u"archived@example.net"_s);
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE folders SET uidvalidity = 1000 + id"_s));
    }

    void cleanup()
    {
        m_copier.reset();
        tearDown();
    }

    void formatUidSet_data()
    {
        QTest::addColumn<QList<qint64>>("uids");
        QTest::addColumn<QByteArray>("set");
        QTest::newRow("empty") << QList<qint64>{} << QByteArray();
        QTest::newRow("one") << QList<qint64>{4} << "4"_ba;
        QTest::newRow("run") << QList<qint64>{1, 2, 3} << "1:3"_ba;
        QTest::newRow("runs and singles") << QList<qint64>{1, 2, 3, 5, 7, 8} << "1:3,5,7:8"_ba;
    }

    void formatUidSet()
    {
        QFETCH(QList<qint64>, uids);
        QFETCH(QByteArray, set);
        QCOMPARE(promail::formatUidSet(uids), set);
    }

    void copyMapsUidsKeepsFlagsAndLinks()
    {
        PROMAIL_VERIFY_OK(
            m_db->run(u"UPDATE messages SET flags = '\\Seen \\Flagged' WHERE folder_id = 1 AND uid = 2"_s));
        const QString source = fileOf(kInbox, 1);
        // UID 9 does not exist in INBOX and the order given does not matter (RFC 4315 §3).
        const auto copied = m_copier->copy(m_alice, kInbox, {3, 1, 2, 9}, kArchive);
        PROMAIL_VERIFY_OK(copied);
        QCOMPARE(copied->copyUid(), "COPYUID 1006 1:3 7:9"_ba);
        QCOMPARE(copied->sourceUids, (QList<qint64>{1, 2, 3}));
        QCOMPARE(copied->destinationUids, (QList<qint64>{7, 8, 9}));

        QCOMPARE(rowsOf(u"SELECT uid, modseq, size, internal_date, flags, message_id FROM messages "
                        "WHERE folder_id = 6 AND uid > 6 ORDER BY uid"_s),
                 (QStringList{u"7|8|13|1700000000||one@example.net"_s,
                              u"8|9|16|1700000000|\\Seen \\Flagged|second@example.net"_s,
                              u"9|10|16|1700000000||third!@example.net"_s}));
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 6"_s), QStringList{u"10|10"_s});
        // The source is untouched.
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 1 ORDER BY uid"_s),
                 (QStringList{u"1"_s, u"2"_s, u"3"_s}));
        QCOMPARE(rowsOf(u"SELECT highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"4"_s});
        // Hard links: one inode, two names; the target name is in new/.
        const QString target = fileOf(kArchive, 7);
        QVERIFY2(target.startsWith(folderDir(kArchive) + u"/new/"_s), qPrintable(target));
        QCOMPARE(linkCount(source), 2);
        QCOMPARE(linkCount(target), 2);
        QCOMPARE(filesIn(folderDir(kArchive) + u"/tmp"_s), QStringList{});
        // RFC 9208: each copy counts; 6 archived (18 bytes each), 3 in INBOX (45 bytes), 3 copies.
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"198|12"_s});
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM spam_training_events"_s), QStringList{u"0"_s});
    }

    void copyOfNothingThere()
    {
        const auto copied = m_copier->copy(m_alice, kInbox, {7, 8}, kArchive);
        PROMAIL_VERIFY_OK(copied);
        QCOMPARE(copied->copyUid(), QByteArray());
        QCOMPARE(copied->uidValidity, qint64(1006));
        QCOMPARE(rowsOf(u"SELECT uidnext FROM folders WHERE id = 6"_s), QStringList{u"7"_s});
    }

    void missingFolders()
    {
        const auto target = m_copier->copy(m_alice, kInbox, {1}, 77);
        QVERIFY(!target);
        QCOMPARE(target.error().code, ErrorCode::NotFound);
        QCOMPARE(target.error().field, u"target_folder"_s); // IMAP: NO [TRYCREATE]
        const auto source = m_copier->move(m_alice, 77, {1}, kArchive);
        QVERIFY(!source);
        QCOMPARE(source.error().field, u"source_folder"_s);
        const auto otherMailbox = m_copier->copy(m_alice + 1, kInbox, {1}, kArchive);
        QVERIFY(!otherMailbox);
        QCOMPARE(otherMailbox.error().code, ErrorCode::NotFound);
        const auto sameFolder = m_copier->move(m_alice, kInbox, {1}, kInbox);
        QVERIFY(!sameFolder);
        QCOMPARE(sameFolder.error().code, ErrorCode::Invalid);
    }

    void moveLeavesNoSourceRows()
    {
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE messages SET flags = '$Label1' WHERE folder_id = 1 AND uid = 3"_s));
        const QString first = fileOf(kInbox, 1);
        const QString third = fileOf(kInbox, 3);
        const auto moved = m_copier->move(m_alice, kInbox, {1, 3}, kArchive);
        PROMAIL_VERIFY_OK(moved);
        QCOMPARE(moved->copyUid(), "COPYUID 1006 1,3 7:8"_ba);
        QCOMPARE(moved->sourceHighestModseq, qint64(5));
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 1"_s), QStringList{u"2"_s});
        QCOMPARE(rowsOf(u"SELECT highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"5"_s});
        QCOMPARE(rowsOf(u"SELECT uid, flags FROM messages WHERE folder_id = 6 AND uid > 6 ORDER BY uid"_s),
                 (QStringList{u"7|"_s, u"8|$Label1"_s}));
        QVERIFY(!QFile::exists(first));
        QVERIFY(!QFile::exists(third));
        QCOMPARE(linkCount(fileOf(kArchive, 7)), 1);
        // RFC 6851: the bytes only changed folder.
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"153|9"_s});
    }

    void spamTrainingEvents()
    {
        const QString inboxMessage = u"one@example.net"_s;
        PROMAIL_VERIFY_OK(m_copier->move(m_alice, kInbox, {1}, kSpam));   // spam
        PROMAIL_VERIFY_OK(m_copier->copy(m_alice, kInbox, {2}, kSpam));   // spam
        PROMAIL_VERIFY_OK(m_copier->copy(m_alice, kSpam, {1}, kArchive)); // a copy out teaches nothing
        PROMAIL_VERIFY_OK(m_copier->move(m_alice, kSpam, {1}, kInbox));   // ham
        PROMAIL_VERIFY_OK(m_copier->move(m_alice, kSpam, {2}, kTrash));   // nothing
        PROMAIL_VERIFY_OK(m_copier->move(m_alice, kInbox, {3}, kTrash));  // nothing
        QCOMPARE(rowsOf(u"SELECT mailbox_id, verdict, message_id, message_file LIKE '5/new/%', "
                        "message_file LIKE '1/new/%', consumed FROM spam_training_events ORDER BY id"_s),
                 (QStringList{u"1|spam|one@example.net|1|0|0"_s, u"1|spam|second@example.net|1|0|0"_s,
                              u"1|ham|one@example.net|0|1|0"_s}));
        QCOMPARE(rowsOf(u"SELECT message_id FROM messages WHERE folder_id = 1 ORDER BY uid"_s),
                 (QStringList{u"second@example.net"_s, inboxMessage}));
    }

    void quotaRefusalLeavesNothingBehind()
    {
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailboxes SET quota_mib = 1"_s));
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailbox_usage SET bytes = 1048576 - 28"_s)); // 13 + 16 do not fit
        const auto copied = m_copier->copy(m_alice, kInbox, {1, 2}, kArchive);
        QVERIFY(!copied);
        QVERIFY(isOverQuota(copied.error())); // IMAP: NO [OVERQUOTA]
        QCOMPARE(copied.error().code, ErrorCode::TooLarge);
        QCOMPARE(copied.error().message, u"mailbox 1 is over its storage quota"_s);
        QCOMPARE(filesIn(folderDir(kArchive) + u"/tmp"_s), QStringList{});
        QCOMPARE(filesIn(folderDir(kArchive) + u"/new"_s).size(), 6);
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages WHERE folder_id = 6"_s), QStringList{u"6"_s});
        QCOMPARE(rowsOf(u"SELECT uidnext FROM folders WHERE id = 6"_s), QStringList{u"7"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"1048548|9"_s});
        QCOMPARE(linkCount(fileOf(kInbox, 1)), 1);

        // One message fits exactly; a move needs no room at all.
        PROMAIL_VERIFY_OK(m_copier->copy(m_alice, kInbox, {1}, kArchive));
        QCOMPARE(rowsOf(u"SELECT bytes FROM mailbox_usage"_s), QStringList{u"1048561"_s});
        PROMAIL_VERIFY_OK(m_copier->move(m_alice, kInbox, {2, 3}, kArchive));
    }

    void quotaCheckedAgainAtCommit()
    {
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailboxes SET quota_mib = 1"_s));
        auto prepared = m_copier->prepare(MessageCopier::Mode::Copy, m_alice, kInbox, {1}, m_alice, kArchive);
        PROMAIL_VERIFY_OK(prepared);
        QCOMPARE(filesIn(folderDir(kArchive) + u"/tmp"_s).size(), 1);
        // A delivery fills the mailbox between prepare() and the commit.
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailbox_usage SET bytes = 1048576"_s));
        const Status committed = m_committer->commit(std::move(prepared->job));
        QVERIFY(!committed);
        QVERIFY(isOverQuota(committed.error()));
        QCOMPARE(filesIn(folderDir(kArchive) + u"/tmp"_s), QStringList{});
        QCOMPARE(filesIn(folderDir(kArchive) + u"/new"_s).size(), 6);
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages WHERE folder_id = 6"_s), QStringList{u"6"_s});
        QCOMPARE(linkCount(fileOf(kInbox, 1)), 1);
    }

    // A folder shared by ACL (RFC 4314): the copy lands in the other mailbox's directory and counts
    // for its owner; a MOVE takes the usage along; the target owner's quota decides.
    void transfersBetweenMailboxes()
    {
        const auto bob = m_db->run(u"INSERT INTO mailboxes (domain_id, local_part, password_hash, created_at, "
                                   "updated_at) VALUES (1, 'bob', 'x', 1, 1)"_s);
        PROMAIL_VERIFY_OK(bob);
        const qint64 bobId = bob->lastInsertId().toLongLong();
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(bobId)); // INBOX is folder 7
        const auto transfer = [&](MessageCopier::Mode mode, qint64 uid) -> Status
        {
            auto prepared = m_copier->prepare(mode, m_alice, kInbox, {uid}, bobId, 7);
            if (!prepared)
                return prepared.error();
            if (const Status committed = m_committer->commit(std::move(prepared->job)); !committed)
                return committed;
            prepared->finish();
            return {};
        };
        const QString second = fileOf(kInbox, 2);
        PROMAIL_VERIFY_OK(transfer(MessageCopier::Mode::Copy, 1));
        PROMAIL_VERIFY_OK(transfer(MessageCopier::Mode::Move, 2));
        QVERIFY(!QFile::exists(second));
        const QString bobDir = m_paths->mailboxDirectory(u"example.org"_s, u"bob"_s);
        QCOMPARE(filesIn(bobDir + u"/7/new"_s).size(), 2);
        QCOMPARE(rowsOf(u"SELECT uid, size FROM messages WHERE folder_id = 7 ORDER BY uid"_s),
                 (QStringList{u"1|13"_s, u"2|16"_s}));
        QCOMPARE(rowsOf(u"SELECT mailbox_id, bytes, messages FROM mailbox_usage ORDER BY mailbox_id"_s),
                 (QStringList{u"%1|137|8"_s.arg(m_alice), u"%1|29|2"_s.arg(bobId)}));
        // Bob's quota, not alice's, refuses both a COPY and a MOVE into his folder.
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailboxes SET quota_mib = 1 WHERE id = ?"_s, {bobId}));
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailbox_usage SET bytes = 1048576 WHERE mailbox_id = ?"_s, {bobId}));
        QVERIFY(isOverQuota(transfer(MessageCopier::Mode::Copy, 3).error()));
        QVERIFY(isOverQuota(transfer(MessageCopier::Mode::Move, 3).error()));
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 1 ORDER BY uid"_s), (QStringList{u"1"_s, u"3"_s}));
    }

    // The crash-safety argument: the new name is published only by the committer, and taken back
    // when the job's rows fail; the source keeps its rows and its file.
    void failedRowsLeaveNoVisibleFile()
    {
        PROMAIL_VERIFY_OK(m_db->run(u"CREATE TRIGGER refuse BEFORE INSERT ON messages "
                                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"_s));
        const QString source = fileOf(kInbox, 1);
        const auto moved = m_copier->move(m_alice, kInbox, {1, 2}, kArchive);
        QVERIFY(!moved);
        QCOMPARE(filesIn(folderDir(kArchive) + u"/tmp"_s), QStringList{});
        QCOMPARE(filesIn(folderDir(kArchive) + u"/new"_s).size(), 6);
        QCOMPARE(rowsOf(u"SELECT uid FROM messages WHERE folder_id = 1 ORDER BY uid"_s),
                 (QStringList{u"1"_s, u"2"_s, u"3"_s}));
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id IN (1, 6) ORDER BY id"_s),
                 (QStringList{u"4|4"_s, u"7|7"_s}));
        QVERIFY(QFile::exists(source));
        QCOMPARE(linkCount(source), 1);
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"153|9"_s});
    }
};

QTEST_GUILESS_MAIN(TestMessageCopier)
#include "tst_messagecopier.moc"
