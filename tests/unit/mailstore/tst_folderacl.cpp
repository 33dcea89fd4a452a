// Folder ACLs (RFC 4314) on a real SQLite database: the rights letters with the obsolete "c" and
// "d", grants and their removal, the folders shared with a mailbox, and what happens to the ACL
// when a folder is renamed or deleted and when a grantee's mailbox is deleted.
#include "mailstore/folderacl.h"
#include "mailstore/folderadmin.h"
#include "mailstorefixture.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{
constexpr qint64 kInbox = 1;
constexpr qint64 kSent = 3;
} // namespace

class TestFolderAcl : public QObject, private test::MailStoreFixture
{
    Q_OBJECT

private:
    qint64 addMailbox(const QString& localPart, bool active = true)
    {
        const auto inserted = m_db->run(u"INSERT INTO mailboxes (domain_id, local_part, password_hash, active, "
                                        "created_at, updated_at) VALUES (1, ?, 'x', ?, 1, 1)"_s,
                                        {localPart, active ? 1 : 0});
        return inserted ? inserted->lastInsertId().toLongLong() : 0;
    }

    AclRights rights(QByteArrayView letters) { return *AclRights::parse(letters); }

    qint64 m_bob = 0;
    qint64 m_carol = 0;

private Q_SLOTS:
    void init()
    {
        const QString failure = openDatabase();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        openStore();
        PROMAIL_VERIFY_OK(m_store->ensureStandardFolders(m_alice)); // ids 1..6: INBOX Drafts Sent Trash Spam Archive
        m_bob = addMailbox(u"bob"_s);
        m_carol = addMailbox(u"carol"_s);
        QVERIFY(m_bob > 0 && m_carol > 0);
    }

    void cleanup() { tearDown(); }

    void parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("letters"); // "!" when refused
        QTest::addColumn<QByteArray>("withObsolete");
        QTest::newRow("empty") << ""_ba
                               << ""_ba
                               << ""_ba;
        QTest::newRow("lookup read") << "rl"_ba
                                     << "lr"_ba
                                     << "lr"_ba;
        QTest::newRow("c is k and x") << "lc"_ba
                                      << "lkx"_ba
                                      << "lkxc"_ba;
        QTest::newRow("d is e and t") << "d"_ba
                                      << "te"_ba
                                      << "ted"_ba;
        QTest::newRow("k alone shows c") << "k"_ba
                                         << "k"_ba
                                         << "kc"_ba;
        QTest::newRow("RFC 4314 §3.1 example") << "lrswicdakxet"_ba
                                               << "lrswikxtea"_ba
                                               << "lrswikxteacd"_ba;
        QTest::newRow("all") << "lrswipkxtea"_ba
                             << "lrswipkxtea"_ba
                             << "lrswipkxteacd"_ba;
        QTest::newRow("unknown Q") << "lrQ"_ba
                                   << "!"_ba
                                   << ""_ba;
        QTest::newRow("upper case") << "L"_ba
                                    << "!"_ba
                                    << ""_ba;
        QTest::newRow("digit") << "0"_ba
                               << "!"_ba
                               << ""_ba;
    }

    void parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, letters);
        QFETCH(QByteArray, withObsolete);
        const auto parsed = AclRights::parse(text);
        if (letters == "!")
        {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().field, u"rights"_s);
            return;
        }
        PROMAIL_VERIFY_OK(parsed);
        QCOMPARE(parsed->letters(), letters);
        QCOMPARE(parsed->withObsolete(), withObsolete);
    }

    void setChangesAndRemovesGrants()
    {
        const FolderAcl acl(*m_db);
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_carol, rights("lr")));
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_bob, rights("lrs")));
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_bob, rights("lrsi"))); // replaces
        const auto entries = acl.entries(kInbox);
        PROMAIL_VERIFY_OK(entries);
        QCOMPARE(entries->size(), 2);
        QCOMPARE(entries->at(0).address, u"bob@example.org"_s);
        QCOMPARE(entries->at(0).rights.letters(), "lrsi"_ba);
        QCOMPARE(entries->at(1).address, u"carol@example.org"_s);
        QCOMPARE(acl.rightsOf(kInbox, m_bob)->letters(), "lrsi"_ba);
        QCOMPARE(acl.rightsOf(kSent, m_bob)->letters(), ""_ba);
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_carol, AclRights())); // empty rights remove the grant
        PROMAIL_VERIFY_OK(acl.remove(kInbox, m_bob));
        QCOMPARE(rowsOf(u"SELECT * FROM folder_acl"_s), QStringList());
    }

    void mailboxIdIsCaseInsensitiveAndActiveOnly()
    {
        const FolderAcl acl(*m_db);
        QCOMPARE(*acl.mailboxId(u"Bob@Example.ORG"_s), m_bob);
        addMailbox(u"dave"_s, false);
        QCOMPARE(acl.mailboxId(u"dave@example.org"_s).error().code, ErrorCode::NotFound);
        QCOMPARE(acl.mailboxId(u"nobody@example.org"_s).error().code, ErrorCode::NotFound);
    }

    void sharedWithListsOtherMailboxesFolders()
    {
        const FolderAcl acl(*m_db);
        PROMAIL_VERIFY_OK(acl.set(kSent, m_bob, rights("l")));
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_bob, rights("lr")));
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_carol, rights("lrs")));
        const auto shared = acl.sharedWith(m_bob);
        PROMAIL_VERIFY_OK(shared);
        QCOMPARE(shared->size(), 2);
        QCOMPARE(shared->at(0).ownerAddress, u"alice@example.org"_s);
        QCOMPARE(shared->at(0).folderName, u"INBOX"_s);
        QCOMPARE(shared->at(0).rights.letters(), "lr"_ba);
        QCOMPARE(shared->at(1).folderName, u"Sent"_s);
        QCOMPARE(shared->at(1).ownerId, m_alice);
        QCOMPARE(acl.sharedWith(m_alice)->size(), 0);
    }

    void renameKeepsDeleteDropsTheAcl()
    {
        const FolderAcl acl(*m_db);
        const FolderAdmin admin(*m_db, *m_paths, *m_committer);
        const auto work = admin.create(m_alice, u"Work"_s);
        PROMAIL_VERIFY_OK(work);
        PROMAIL_VERIFY_OK(acl.set(work->id, m_bob, rights("lr")));
        PROMAIL_VERIFY_OK(admin.rename(m_alice, u"Work"_s, u"Projects"_s));
        QCOMPARE(acl.sharedWith(m_bob)->value(0).folderName, u"Projects"_s);
        const auto child = admin.create(m_alice, u"Projects/2026"_s);
        PROMAIL_VERIFY_OK(child);
        PROMAIL_VERIFY_OK(acl.inherit(work->id, child->id));
        QCOMPARE(acl.rightsOf(child->id, m_bob)->letters(), "lr"_ba);
        PROMAIL_VERIFY_OK(admin.remove(m_alice, u"Projects/2026"_s));
        PROMAIL_VERIFY_OK(admin.remove(m_alice, u"Projects"_s));
        QCOMPARE(rowsOf(u"SELECT * FROM folder_acl"_s), QStringList());
        // A folder made again with the same name starts without the old ACL (RFC 4314 §3).
        const auto again = admin.create(m_alice, u"Projects"_s);
        PROMAIL_VERIFY_OK(again);
        QCOMPARE(acl.rightsOf(again->id, m_bob)->letters(), ""_ba);
    }

    void deletingTheGranteeRemovesItsGrants()
    {
        const FolderAcl acl(*m_db);
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_bob, rights("lr")));
        PROMAIL_VERIFY_OK(acl.set(kInbox, m_carol, rights("lr")));
        PROMAIL_VERIFY_OK(m_db->run(u"DELETE FROM mailboxes WHERE id = ?"_s, {m_bob}));
        QCOMPARE(rowsOf(u"SELECT folder_id, mailbox_id, rights FROM folder_acl"_s),
                 QStringList{u"1|%1|lr"_s.arg(m_carol)});
    }
};

QTEST_GUILESS_MAIN(TestFolderAcl)
#include "tst_folderacl.moc"
