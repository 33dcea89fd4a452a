// Folder CREATE, RENAME, DELETE and SUBSCRIBE on a real SQLite database with the DurableCommitter:
// name rules, parents, UIDVALIDITY that is never reused, renaming INBOX, children and usage.
#include "mailstore/folderadmin.h"
#include "mailstorefixture.h"

#include <QDateTime>
#include <QDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace promail;

class TestFolderAdmin : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private:
    QString folderDir(qint64 id) const
    {
        return m_paths->mailboxDirectory(u"example.org"_s, u"alice"_s) + u'/' + QString::number(id);
    }

    std::optional<FolderAdmin> m_admin;

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        openStore();
        m_admin.emplace(*m_db, *m_paths, *m_committer);
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(m_alice)); // ids 1..6
    }

    void cleanup()
    {
        m_admin.reset();
        tearDown();
    }

    void validateName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error"); // "" when valid
        QTest::newRow("plain") << u"Work"_s << u""_s;
        QTest::newRow("levels") << u"Work/2024/Q1"_s << u""_s;
        QTest::newRow("unicode") << u"Entwürfe/日本"_s << u""_s;
        QTest::newRow("255 bytes") << QString(255, u'x') << u""_s;
        QTest::newRow("256 bytes") << QString(256, u'x') << u"a folder name is at most 255 bytes long"_s;
        QTest::newRow("254 + two-byte char")
            << QString(254, u'x') + u"ü"_s << u"a folder name is at most 255 bytes long"_s;
        QTest::newRow("empty") << u""_s << u"a folder name is required"_s;
        QTest::newRow("leading slash") << u"/Work"_s << u"a folder name neither starts nor ends with \"/\""_s;
        QTest::newRow("trailing slash") << u"Work/"_s << u"a folder name neither starts nor ends with \"/\""_s;
        QTest::newRow("empty level") << u"Work//Q1"_s << u"a folder name has no empty levels"_s;
        QTest::newRow("percent") << u"100%"_s << u"a folder name contains no \"%\" or \"*\""_s;
        QTest::newRow("star") << u"a*b"_s << u"a folder name contains no \"%\" or \"*\""_s;
        QTest::newRow("tab") << u"a\tb"_s << u"a folder name contains no control characters"_s;
        QTest::newRow("delete") << u"a\x7f"_s << u"a folder name contains no control characters"_s;
    }

    void validateName()
    {
        QFETCH(QString, name);
        QFETCH(QString, error);
        const Status status = FolderAdmin::validateName(name);
        QCOMPARE(status.ok() ? QString() : status.error().message, error);
        if (!status)
            QCOMPARE(status.error().code, ErrorCode::Invalid);
    }

    void canonicalName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("inbox") << u"inbox"_s << u"INBOX"_s;
        QTest::newRow("InBoX child") << u"InBoX/Sub"_s << u"INBOX/Sub"_s;
        QTest::newRow("inboxes") << u"inboxes"_s << u"inboxes"_s;
        QTest::newRow("child named inbox") << u"Work/inbox"_s << u"Work/inbox"_s;
    }

    void canonicalName()
    {
        QFETCH(QString, name);
        QFETCH(QString, canonical);
        QCOMPARE(FolderAdmin::canonicalName(name), canonical);
    }

    void createMakesParents()
    {
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const auto created = m_admin->create(m_alice, u"Projects/2024/Q1"_s);
        PROMAIL_VERIFY_OK(created);
        QCOMPARE(created->id, qint64(9));
        QCOMPARE(rowsOf(u"SELECT id, name, special_use, uidnext, highest_modseq, subscribed FROM folders "
                        "WHERE id > 6 ORDER BY id"_s),
                 (QStringList{u"7|Projects||1|1|1"_s, u"8|Projects/2024||1|1|1"_s, u"9|Projects/2024/Q1||1|1|1"_s}));
        // Strictly increasing, above the standard folders' (creation time) and recorded for later.
        const QStringList validities = rowsOf(u"SELECT uidvalidity FROM folders ORDER BY id"_s);
        const qint64 standard = validities.value(5).toLongLong();
        QVERIFY(standard >= before);
        QCOMPARE(validities.mid(6), (QStringList{QString::number(qMax(standard + 1, before)),
                                                 QString::number(validities.value(6).toLongLong() + 1),
                                                 QString::number(validities.value(6).toLongLong() + 2)}));
        QCOMPARE(created->uidValidity, validities.value(8).toLongLong());
        QCOMPARE(rowsOf(u"SELECT last_uidvalidity FROM mailboxes"_s), QStringList{validities.value(8)});

        // A parent that exists is kept; a trailing "/" only announces children (RFC 9051 §6.3.4).
        const auto sibling = m_admin->create(m_alice, u"Projects/2025/"_s);
        PROMAIL_VERIFY_OK(sibling);
        QCOMPARE(rowsOf(u"SELECT id, name FROM folders WHERE id > 9"_s), QStringList{u"10|Projects/2025"_s});
    }

    void createRefusals()
    {
        const auto inbox = m_admin->create(m_alice, u"inbox"_s);
        QVERIFY(!inbox);
        QCOMPARE(inbox.error().code, ErrorCode::Conflict);
        QCOMPARE(inbox.error().field, u"name"_s); // IMAP: NO [ALREADYEXISTS]
        QCOMPARE(inbox.error().message, u"folder INBOX already exists"_s);
        const auto existing = m_admin->create(m_alice, u"Trash"_s);
        QVERIFY(!existing);
        QCOMPARE(existing.error().code, ErrorCode::Conflict);
        QCOMPARE(existing.error().message, u"folder Trash already exists"_s);
        const auto bad = m_admin->create(m_alice, u"a//b"_s);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::Invalid); // IMAP: NO [CANNOT]
        const auto unknownMailbox = m_admin->create(99, u"Work"_s);
        QVERIFY(!unknownMailbox);
        QCOMPARE(unknownMailbox.error().code, ErrorCode::NotFound);
        QCOMPARE(unknownMailbox.error().message, u"mailbox 99 does not exist"_s);
        const auto attribute = m_admin->create(m_alice, u"Odd"_s, u"\\Bogus"_s);
        QVERIFY(!attribute);
        QCOMPARE(attribute.error().field, u"special_use"_s); // IMAP: NO [USEATTR]
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders"_s), QStringList{u"6"_s});
    }

    void createSpecialUse()
    {
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"Important/Starred"_s, u"\\flagged"_s));
        QCOMPARE(rowsOf(u"SELECT name, special_use FROM folders WHERE id > 6 ORDER BY id"_s),
                 (QStringList{u"Important|"_s, u"Important/Starred|\\Flagged"_s}));
    }

    void uidValidityNeverReused()
    {
        const auto first = m_admin->create(m_alice, u"Work"_s);
        PROMAIL_VERIFY_OK(first);
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"Work"_s));
        // Within the same second (the clock has not moved on): still a greater UIDVALIDITY.
        const auto second = m_admin->create(m_alice, u"Work"_s);
        PROMAIL_VERIFY_OK(second);
        QCOMPARE(second->uidValidity, first->uidValidity + 1);
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"Work"_s));

        // The remembered value counts even when every folder that had it is gone, and a value
        // ahead of the clock (clock set back) is passed as well.
        const qint64 future = QDateTime::currentSecsSinceEpoch() + 100000;
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE mailboxes SET last_uidvalidity = ?"_s, {future}));
        const auto third = m_admin->create(m_alice, u"Work"_s);
        PROMAIL_VERIFY_OK(third);
        QCOMPARE(third->uidValidity, future + 1);
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE folders SET uidvalidity = ? WHERE name = 'Trash'"_s, {future + 50}));
        const auto fourth = m_admin->create(m_alice, u"Play"_s);
        PROMAIL_VERIFY_OK(fourth);
        QCOMPARE(fourth->uidValidity, future + 51);
    }

    void deliveryRecreatingAFolderGetsANewUidValidity()
    {
        // A +tag subfolder removed by the user and made again by the next delivery (MailIndex).
        const auto first = m_admin->create(m_alice, u"shop"_s);
        PROMAIL_VERIFY_OK(first);
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"shop"_s));
        deliver("again\r\n", u"shop"_s);
        const QStringList validity = rowsOf(u"SELECT uidvalidity FROM folders WHERE name = 'shop'"_s);
        QCOMPARE(validity.size(), 1);
        QVERIFY2(validity.first().toLongLong() > first->uidValidity, qPrintable(validity.first()));
    }

    void renameMovesChildren()
    {
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"Projects/2024"_s)); // 7, 8
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"Projectsx"_s));     // 9: not a child
        const QStringList before = rowsOf(u"SELECT id, uidvalidity FROM folders WHERE id IN (7, 8) ORDER BY id"_s);
        PROMAIL_VERIFY_OK(m_admin->rename(m_alice, u"Projects"_s, u"Archive/Old/Projects"_s));
        QCOMPARE(rowsOf(u"SELECT id, name FROM folders WHERE id > 6 ORDER BY id"_s),
                 (QStringList{u"7|Archive/Old/Projects"_s, u"8|Archive/Old/Projects/2024"_s, u"9|Projectsx"_s,
                              u"10|Archive/Old"_s}));
        QCOMPARE(rowsOf(u"SELECT id, uidvalidity FROM folders WHERE id IN (7, 8) ORDER BY id"_s), before);
    }

    void renameRefusals()
    {
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"Work/Sub"_s));
        const auto missing = m_admin->rename(m_alice, u"Nope"_s, u"Other"_s);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound); // IMAP: NO [NONEXISTENT]
        QCOMPARE(missing.error().message, u"folder Nope does not exist"_s);
        const auto taken = m_admin->rename(m_alice, u"Work"_s, u"Sent"_s);
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, ErrorCode::Conflict);
        QCOMPARE(taken.error().message, u"folder Sent already exists"_s);
        const auto toInbox = m_admin->rename(m_alice, u"Work"_s, u"Inbox"_s);
        QVERIFY(!toInbox);
        QCOMPARE(toInbox.error().code, ErrorCode::Conflict);
        const auto below = m_admin->rename(m_alice, u"Work"_s, u"Work/Sub/Deeper"_s);
        QVERIFY(!below);
        QCOMPARE(below.error().code, ErrorCode::Invalid);
        QCOMPARE(rowsOf(u"SELECT name FROM folders WHERE id > 6 ORDER BY id"_s),
                 (QStringList{u"Work"_s, u"Work/Sub"_s}));
    }

    void renameInbox()
    {
        deliver("one\r\n"_ba);
        deliver("two\r\n"_ba);
        PROMAIL_VERIFY_OK(m_db->run(u"UPDATE messages SET flags = '\\Seen' WHERE uid = 2"_s));
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"INBOX/Sub"_s)); // 7
        PROMAIL_VERIFY_OK(m_admin->rename(m_alice, u"inbox"_s, u"Old Mail"_s));
        // RFC 9051 §6.3.6: INBOX stays, empty; its child is not renamed; the messages moved.
        QCOMPARE(rowsOf(u"SELECT id, name FROM folders WHERE id = 1 OR id > 6 ORDER BY id"_s),
                 (QStringList{u"1|INBOX"_s, u"7|INBOX/Sub"_s, u"8|Old Mail"_s}));
        QCOMPARE(rowsOf(u"SELECT folder_id, uid, flags, file LIKE '8/new/%' FROM messages ORDER BY uid"_s),
                 (QStringList{u"8|1||1"_s, u"8|2|\\Seen|1"_s}));
        QCOMPARE(QDir(folderDir(1) + u"/new"_s).entryList(QDir::Files), QStringList{});
        QCOMPARE(QDir(folderDir(8) + u"/new"_s).entryList(QDir::Files).size(), 2);
        QCOMPARE(rowsOf(u"SELECT highest_modseq FROM folders WHERE id = 1"_s), QStringList{u"4"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"26|2"_s});

        // An empty INBOX renames to an empty folder.
        PROMAIL_VERIFY_OK(m_admin->rename(m_alice, u"INBOX"_s, u"Empty"_s));
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM messages WHERE folder_id = 9"_s), QStringList{u"0"_s});
        QCOMPARE(rowsOf(u"SELECT name FROM folders WHERE id = 9"_s), QStringList{u"Empty"_s});
    }

    void removeFolderWithMessages()
    {
        deliver("one\r\n"_ba, u"Trash"_s);
        deliver("two\r\n"_ba, u"Trash"_s);
        deliver("kept\r\n"_ba);
        QVERIFY(QDir(folderDir(4)).exists());
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"Trash"_s)); // special use may go (RFC 9051 §6.3.5)
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders WHERE name = 'Trash'"_s), QStringList{u"0"_s});
        QCOMPARE(rowsOf(u"SELECT folder_id, uid FROM messages"_s), QStringList{u"1|1"_s});
        QCOMPARE(rowsOf(u"SELECT bytes, messages FROM mailbox_usage"_s), QStringList{u"14|1"_s});
        QVERIFY(!QDir(folderDir(4)).exists());
        QVERIFY(QDir(folderDir(1)).exists());
    }

    void removeRefusals()
    {
        PROMAIL_VERIFY_OK(m_admin->create(m_alice, u"Work/Sub"_s));
        const auto inbox = m_admin->remove(m_alice, u"Inbox"_s);
        QVERIFY(!inbox);
        QCOMPARE(inbox.error().code, ErrorCode::Invalid);
        QCOMPARE(inbox.error().message, u"INBOX cannot be deleted"_s);
        const auto parent = m_admin->remove(m_alice, u"Work"_s);
        QVERIFY(!parent);
        QCOMPARE(parent.error().code, ErrorCode::Conflict);
        QCOMPARE(parent.error().field, u"children"_s); // IMAP: NO [HASCHILDREN]
        QCOMPARE(parent.error().message, u"folder Work has child folders"_s);
        const auto missing = m_admin->remove(m_alice, u"Nope"_s);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"Work/Sub"_s));
        PROMAIL_VERIFY_OK(m_admin->remove(m_alice, u"Work"_s));
        QCOMPARE(rowsOf(u"SELECT COUNT(*) FROM folders"_s), QStringList{u"6"_s});
    }

    void subscribe()
    {
        PROMAIL_VERIFY_OK(m_admin->setSubscribed(m_alice, u"Archive"_s, false));
        PROMAIL_VERIFY_OK(m_admin->setSubscribed(m_alice, u"inbox"_s, false));
        QCOMPARE(rowsOf(u"SELECT name FROM folders WHERE subscribed = 0 ORDER BY id"_s),
                 (QStringList{u"INBOX"_s, u"Archive"_s}));
        PROMAIL_VERIFY_OK(m_admin->setSubscribed(m_alice, u"Archive"_s, true));
        QCOMPARE(rowsOf(u"SELECT name FROM folders WHERE subscribed = 0"_s), QStringList{u"INBOX"_s});
        const auto missing = m_admin->setSubscribed(m_alice, u"Nope"_s, true);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestFolderAdmin)
#include "tst_folderadmin.moc"
