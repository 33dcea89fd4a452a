#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "mailstore/mailboxquota.h"
#include "storage/durablecommitter.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace promail
{

class Database;

// What a COPY or MOVE did, for the UIDPLUS response code (RFC 4315 §3 COPYUID): the n-th source
// UID became the n-th destination UID in the folder with `uidValidity`.
struct CopyResult
{
    qint64 uidValidity = 0;
    QList<qint64> sourceUids;       // ascending; UIDs no longer there are left out
    QList<qint64> destinationUids;  // ascending, one per source UID
    qint64 sourceHighestModseq = 0; // MOVE only: the source folder's MODSEQ after the expunge (RFC 7162 §3.1)

    // "COPYUID <uidvalidity> <source set> <destination set>" without brackets; empty when nothing moved.
    QByteArray copyUid() const;
};

// RFC 9051 §9 sequence-set of ascending UIDs with runs collapsed: {1,2,3,5} -> "1:3,5".
QByteArray formatUidSet(const QList<qint64>& uids);

// A COPY or MOVE made ready: submit `job` to the DurableCommitter; when it succeeded, call
// finish() (MOVE unlinks the source files) and read result(). On failure the committer has
// removed every file the job added and the source is untouched.
class PreparedTransfer
{
public:
    CommitJob job;

    const CopyResult& result() const { return *m_result; }
    void finish() const;

private:
    friend class MessageCopier;
    std::shared_ptr<CopyResult> m_result = std::make_shared<CopyResult>();
    QStringList m_sourceFilesToRemove;
};

// COPY and MOVE between folders (RFC 9051 §6.4.7, RFC 6851, RFC 4315), of one mailbox or, with a
// folder shared by ACL (RFC 4314), of two: usage and quota count for the target's owner. The files
// are hard-linked (copied where the file system refuses), rows get the target folder's next UIDs
// and MODSEQs with the flags kept. A move into or out of \Junk also records a spam training event
// in the same transaction. Thread-safe like MailStore.
class MessageCopier
{
public:
    MessageCopier(const Database& database, const DataPaths& paths, DurableCommitter& committer);

    enum class Mode
    {
        Copy,
        Move,
    };

    // `keepFlag`, when given, says which flags the copies keep (RFC 4314 §4: a user copying into a
    // shared folder sets only the flags their rights there allow).
    using FlagFilter = std::function<bool(const QByteArray& flag)>;
    Result<PreparedTransfer> prepare(Mode mode, qint64 sourceMailboxId, qint64 sourceFolderId,
                                     const QList<qint64>& uids, qint64 targetMailboxId, qint64 targetFolderId,
                                     const FlagFilter& keepFlag = {}) const;

    // prepare(), commit (blocking the calling thread) and finish() in one call.
    Result<CopyResult> copy(qint64 mailboxId, qint64 sourceFolderId, const QList<qint64>& uids,
                            qint64 targetFolderId) const;
    Result<CopyResult> move(qint64 mailboxId, qint64 sourceFolderId, const QList<qint64>& uids,
                            qint64 targetFolderId) const;

private:
    Result<CopyResult> transfer(Mode mode, qint64 mailboxId, qint64 sourceFolderId, const QList<qint64>& uids,
                                qint64 targetFolderId) const;

    const Database& m_database;
    DataPaths m_paths;
    DurableCommitter& m_committer;
};

} // namespace promail
