// FolderIndex on a real SQLite database with messages delivered through MailStore and the
// DurableCommitter: listing a folder in UID order, and expunging rows, usage and files.
#include "mailstore/folderindex.h"
#include "mailstore/messagefilereader.h"
#include "mailstorefixture.h"

#include <QFile>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace promail;

class TestFolderIndex : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private:
    std::optional<FolderIndex> m_index;

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        openStore();
        m_index.emplace(*m_db, *m_paths);
    }

    void cleanup()
    {
        m_index.reset();
        tearDown();
    }

    void listOfAMailboxWithoutFolders()
    {
        const auto listing = m_index->list(m_alice, u"INBOX"_s);
        PROMAIL_VERIFY_OK(listing);
        QCOMPARE(listing->folderId, qint64(0));
        QCOMPARE(listing->messages.size(), 0);
    }

    void listOfUnknownMailbox()
    {
        const auto listing = m_index->list(999, u"INBOX"_s);
        QVERIFY(!listing);
        QCOMPARE(listing.error().code, ErrorCode::NotFound);
        QCOMPARE(listing.error().message, u"mailbox 999 does not exist"_s);
    }

    void listInUidOrder()
    {
        deliver("one\r\n"_ba);
        deliver("second\r\n"_ba);
        deliver("elsewhere\r\n"_ba, u"Archive"_s);
        deliver("third!\r\n"_ba);
        const auto listing = m_index->list(m_alice, u"INBOX"_s);
        PROMAIL_VERIFY_OK(listing);
        QCOMPARE(listing->folderId, qint64(1));
        QCOMPARE(listing->uidValidity, rowsOf(u"SELECT uidvalidity FROM folders WHERE id = 1"_s).value(0).toLongLong());
        QStringList rows;
        for (const FolderMessage& message : listing->messages)
        {
            QVERIFY2(message.path.startsWith(m_paths->mailboxDirectory(u"example.org"_s, u"alice"_s) + u"/1/new/"_s),
                     qPrintable(message.path));
            rows.append(u"%1|%2"_s.arg(message.uid).arg(message.size));
        }
        QCOMPARE(rows, (QStringList{u"1|13"_s, u"2|16"_s, u"3|16"_s}));

        MessageFileReader reader;
        PROMAIL_VERIFY_OK(reader.open(listing->messages[1].path));
        const auto head = reader.read(4);
        PROMAIL_VERIFY_OK(head);
        QCOMPARE(*head, "X: n"_ba);
        const auto rest = reader.read(100);
        PROMAIL_VERIFY_OK(rest);
        QCOMPARE(*rest, "\r\n\r\nsecond\r\n"_ba);
        QVERIFY(reader.atEnd());
        const auto end = reader.read(100);
        PROMAIL_VERIFY_OK(end);
        QCOMPARE(*end, QByteArray());
    }

    void expungeRemovesRowsUsageAndFiles()
    {
        deliver("one\r\n"_ba);
        deliver("second\r\n"_ba);
        deliver("third!\r\n"_ba);
        const auto before = m_index->list(m_alice, u"INBOX"_s);
        PROMAIL_VERIFY_OK(before);
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"45|3"_s});
        QCOMPARE(rowsOf(u"SELECT highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"4"_s});

        // UID 7 never existed and UID 1 is given twice: both are ignored.
        const auto expunged = m_index->expunge(m_alice, 1, {3, 1, 7, 1});
        PROMAIL_VERIFY_OK(expunged);
        QCOMPARE(expunged->uids, (QList<qint64>{1, 3}));
        QCOMPARE(expunged->bytes, qint64(29));
        QCOMPARE(expunged->highestModseq, qint64(5));

        QCOMPARE(rowsOf(u"SELECT uid, size FROM messages ORDER BY uid"_s), QStringList{u"2|16"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"16|1"_s});
        QCOMPARE(rowsOf(u"SELECT uidnext, highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"4|5"_s});
        QVERIFY(!QFile::exists(before->messages[0].path));
        QVERIFY(QFile::exists(before->messages[1].path));
        QVERIFY(!QFile::exists(before->messages[2].path));

        MessageFileReader reader;
        const Status gone = reader.open(before->messages[0].path);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);

        // A second expunge of the same UIDs changes nothing but the MODSEQ.
        const auto again = m_index->expunge(m_alice, 1, {1, 3});
        PROMAIL_VERIFY_OK(again);
        QCOMPARE(again->uids, QList<qint64>{});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"16|1"_s});
    }

    void expungeNothing()
    {
        const auto expunged = m_index->expunge(m_alice, 1, {});
        PROMAIL_VERIFY_OK(expunged);
        QCOMPARE(expunged->uids, QList<qint64>{});
    }

    void expungeInAnotherMailboxesFolder()
    {
        deliver("one\r\n"_ba);
        const auto expunged = m_index->expunge(m_alice + 1, 1, {1});
        QVERIFY(!expunged);
        QCOMPARE(expunged.error().code, ErrorCode::NotFound);
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages"_s), QStringList{u"1"_s});
    }

    void usageNeverGoesBelowZero()
    {
        deliver("one\r\n"_ba);
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailbox_usage SET bytes = 5, messages = 0"_s));
        PROMAIL_VERIFY_OK(m_index->expunge(m_alice, 1, {1}));
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"0|0"_s});
    }
};

QTEST_GUILESS_MAIN(TestFolderIndex)
#include "tst_folderindex.moc"
