// The maildrop of a POP3 session (numbering, deletion marks, RSET, UIDL) and the per-mailbox
// exclusive lock of RFC 1939 §8, including threads racing for it.
#include "protocols/pop3/maildroplock.h"
#include "protocols/pop3/pop3maildrop.h"

#include <QAtomicInt>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace promail;

class TestPop3Maildrop : public QObject
{
    Q_OBJECT

private:
    static Pop3Maildrop threeMessages()
    {
        FolderListing listing;
        listing.folderId = 7;
        listing.uidValidity = 1700000000;
        listing.messages = {{3, 100, u"/m/1/new/a"_s}, {5, 250, u"/m/1/new/b"_s}, {9, 40, u"/m/1/new/c"_s}};
        return Pop3Maildrop(listing);
    }

private Q_SLOTS:
    void numbersAndTotals()
    {
        const Pop3Maildrop maildrop = threeMessages();
        QCOMPARE(maildrop.folderId(), 7);
        QCOMPARE(maildrop.count(), 3);
        QCOMPARE(maildrop.size(), 390);
        QCOMPARE(maildrop.highestNumber(), 3);
        QCOMPARE(maildrop.message(2)->uid, 5);
        QCOMPARE(maildrop.message(2)->path, u"/m/1/new/b"_s);
        QCOMPARE(maildrop.message(0), nullptr);
        QCOMPARE(maildrop.message(4), nullptr);
        QCOMPARE(maildrop.uniqueId(1), "1700000000-3"_ba);
        QCOMPARE(maildrop.uniqueId(3), "1700000000-9"_ba);
        QCOMPARE(maildrop.uniqueId(4), QByteArray());
    }

    void deleteAndReset()
    {
        Pop3Maildrop maildrop = threeMessages();
        QVERIFY(maildrop.markDeleted(2));
        QVERIFY(!maildrop.markDeleted(2));
        QVERIFY(!maildrop.markDeleted(4));
        QVERIFY(maildrop.isDeleted(2));
        QVERIFY(!maildrop.isDeleted(1));
        QCOMPARE(maildrop.message(2), nullptr);
        QCOMPARE(maildrop.count(), 2);
        QCOMPARE(maildrop.size(), 140);
        QCOMPARE(maildrop.highestNumber(), 3); // numbers never shift within a session
        QCOMPARE(maildrop.uniqueId(3), "1700000000-9"_ba);
        QVERIFY(maildrop.markDeleted(3));
        QCOMPARE(maildrop.deletedUids(), (QList<qint64>{5, 9}));
        maildrop.unmarkAll();
        QCOMPARE(maildrop.deletedUids(), QList<qint64>{});
        QCOMPARE(maildrop.count(), 3);
        QCOMPARE(maildrop.size(), 390);
    }

    void emptyMaildrop()
    {
        const Pop3Maildrop maildrop;
        QCOMPARE(maildrop.count(), 0);
        QCOMPARE(maildrop.size(), 0);
        QCOMPARE(maildrop.message(1), nullptr);
        QCOMPARE(maildrop.folderId(), 0);
    }

    void lockIsExclusivePerMailbox()
    {
        MaildropLock first;
        MaildropLock second;
        QVERIFY(first.acquire(41));
        QVERIFY(MaildropLock::isLocked(41));
        QVERIFY(!second.acquire(41));
        QVERIFY(!second.isHeld());
        QVERIFY(second.acquire(42)); // another mailbox
        first.release();
        QVERIFY(!MaildropLock::isLocked(41));
        QVERIFY(second.acquire(41)); // re-acquiring lets go of 42
        QVERIFY(!MaildropLock::isLocked(42));
        {
            MaildropLock scoped;
            QVERIFY(scoped.acquire(43));
        }
        QVERIFY(!MaildropLock::isLocked(43)); // released with its session
    }

    void lockRaceHasOneWinner()
    {
        constexpr int kThreads = 8;
        QAtomicInt winners;
        std::vector<std::unique_ptr<MaildropLock>> locks;
        QList<QThread*> threads;
        for (int i = 0; i < kThreads; ++i)
            locks.push_back(std::make_unique<MaildropLock>());
        for (int i = 0; i < kThreads; ++i)
        {
            MaildropLock* lock = locks[i].get();
            threads.append(QThread::create(
                [lock, &winners]
                {
                    if (lock->acquire(99))
                        winners.fetchAndAddOrdered(1);
                }));
        }
        for (QThread* thread : std::as_const(threads))
            thread->start();
        for (QThread* thread : std::as_const(threads))
        {
            QVERIFY(thread->wait(10000));
            delete thread;
        }
        QCOMPARE(winners.loadAcquire(), 1);
        locks.clear();
        QVERIFY(!MaildropLock::isLocked(99));
    }
};

QTEST_GUILESS_MAIN(TestPop3Maildrop)
#include "tst_pop3maildrop.moc"
