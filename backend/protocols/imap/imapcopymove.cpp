// ImapSession: COPY and MOVE with their UID forms (RFC 9051 §6.4.7, RFC 6851) and UID EXPUNGE
// (RFC 4315 §2.1), answered with COPYUID (RFC 4315 §3). The transfer is made durable by the
// group committer while the session waits without blocking its thread.
#include "directory/directorycontext.h"
#include "mailstore/messagecopier.h"
#include "protocols/imap/imapsession.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::copyMessages(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const SequenceSet set = parser.sequenceSet();
    parser.space();
    const QByteArray target = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const bool move = request.name.endsWith("MOVE");
    // RFC 4314 §4: a MOVE marks the source messages \Deleted ("t") and expunges them ("e").
    if (move && !selectedAllows(request, "te"))
        return;
    if (move && m_readOnly)
    {
        no(request, "[CANNOT] The folder is read-only (EXAMINE)"_ba);
        return;
    }
    const auto indexes = resolve(request, set);
    if (!indexes)
        return;
    QList<qint64> uids;
    for (const qsizetype index : *indexes)
        uids.append(m_selected.messages[index].uid);
    // RFC 9051 §6.4.7: TRYCREATE tells the client that CREATE would help; RFC 4314 §4: "i" on the target.
    const auto folder = access(request, target, "i", "[TRYCREATE] No such folder"_ba);
    if (!folder)
        return;
    const MessageCopier copier(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    auto prepared =
        copier.prepare(move ? MessageCopier::Mode::Move : MessageCopier::Mode::Copy, m_access.ownerId,
                       m_selected.folder.id, uids, folder->ownerId, folder->folder.id,
                       [rights = folder->rights](const QByteArray& flag) { return rights.has(flagRight(flag)); });
    if (!prepared)
    {
        transferFailed(request, prepared.error());
        return;
    }
    auto transfer = std::make_shared<PreparedTransfer>(std::move(*prepared));
    if (transfer->job.files.isEmpty())
    {
        // RFC 9051 §6.4.8: UIDs that no longer exist are not an error; nothing was copied.
        ok(request, request.name + " completed"_ba);
        return;
    }
    pause();
    Request done;
    done.tag = request.tag;
    done.name = request.name;
    m_services.committer->submit(std::move(transfer->job), this,
                                 [this, transfer, done, move](Status status)
                                 {
                                     // MOVE: the source files go once the rows are committed, even
                                     // when the client has gone meanwhile.
                                     if (status)
                                         transfer->finish();
                                     if (m_phase == Phase::Closed)
                                         return;
                                     if (!status)
                                         transferFailed(done, status.error());
                                     else
                                         finishTransfer(done, transfer->result(), move);
                                     resume();
                                 });
}

void ImapSession::transferFailed(const Request& request, const Error& error)
{
    if (isOverQuota(error))
        no(request,
           "[OVERQUOTA] The mailbox is over its "_ba + overQuotaResource(error) + " quota"_ba); // RFC 9208 §4.2
    else if (error.code == ErrorCode::Invalid)
        no(request, "[CANNOT] "_ba + error.message.toUtf8());
    else if (error.code == ErrorCode::NotFound)
        no(request, "[TRYCREATE] No such folder"_ba);
    else
    {
        qCWarning(lcImap).noquote() << "cannot copy:" << error.message;
        no(request, "[SERVERBUG] The messages could not be copied"_ba);
    }
}

void ImapSession::finishTransfer(const Request& request, const CopyResult& result, bool move)
{
    const QByteArray copyUid = result.copyUid();
    if (!move)
    {
        ok(request, (copyUid.isEmpty() ? QByteArray() : '[' + copyUid + "] "_ba) + request.name + " completed"_ba);
        return;
    }
    // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGE responses.
    if (!copyUid.isEmpty())
        untagged("OK ["_ba + copyUid + "] Moved"_ba);
    const QSet<qint64> moved(result.sourceUids.cbegin(), result.sourceUids.cend());
    reportExpunged(moved);
    ok(request, request.name + " completed"_ba);
}

void ImapSession::uidExpunge(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const SequenceSet set = parser.sequenceSet();
    if (!requireEnd(request) || !selectedAllows(request, "e"))
        return;
    if (m_readOnly)
    {
        no(request, "[CANNOT] The folder is read-only (EXAMINE)"_ba);
        return;
    }
    synchronize(true); // \Deleted set by another session counts too
    const auto indexes = resolve(request, set);
    if (!indexes)
        return;
    QSet<qint64> within;
    for (const qsizetype index : *indexes)
        within.insert(m_selected.messages[index].uid);
    // RFC 4315 §2.1: only the \Deleted messages whose UIDs are in the set.
    if (!expungeDeleted(true, &within))
    {
        no(request, "[UNAVAILABLE] Cannot expunge now; try again later"_ba);
        return;
    }
    ok(request, "UID EXPUNGE completed"_ba);
}

} // namespace promail
