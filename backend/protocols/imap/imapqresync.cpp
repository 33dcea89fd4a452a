// ImapSession: QRESYNC (RFC 7162 §3.2) — the SELECT parameter that resynchronizes a client's
// cache, VANISHED (EARLIER) for UID FETCH, and VANISHED instead of EXPUNGE once it is enabled.
#include "directory/directorycontext.h"
#include "mailstore/expungelog.h"
#include "protocols/imap/imapsession.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
bool inSet(const SequenceSet& set, qint64 uid, qint64 star)
{
    for (const SequenceRange& range : set)
    {
        const qint64 a = range.first == SequenceRange::kStar ? star : qint64(range.first);
        const qint64 b = range.last == SequenceRange::kStar ? star : qint64(range.last);
        if (uid >= std::min(a, b) && uid <= std::max(a, b))
            return true;
    }
    return false;
}
} // namespace

void ImapSession::parseQresyncParameter(ImapParser& parser, SelectParameters& parameters)
{
    // RFC 7162 §3.2.5: "QRESYNC (" uidvalidity SP mod-sequence-value [SP known-uids]
    // [SP "(" known-sequence-set SP known-uid-set ")"] ")"; the sequence match data is accepted
    // and not needed: the expunge log knows every UID that vanished.
    QresyncParameters qresync;
    qresync.uidValidity = parser.number();
    parser.space();
    qresync.modseq = parser.modseq();
    bool more = parser.present(" ");
    if (more && parser.cursor().next() != '(')
    {
        qresync.knownUids = parser.sequenceSet();
        more = parser.present(" ");
    }
    if (more)
    {
        parser.cursor().require("(");
        parser.sequenceSet();
        parser.space();
        parser.sequenceSet();
        parser.cursor().require(")");
    }
    parser.cursor().require(")");
    parameters.qresync = qresync;
}

void ImapSession::resynchronize(const QresyncParameters& qresync)
{
    // RFC 7162 §3.2.5.2: with another UIDVALIDITY the client's cache is void; nothing to tell.
    if (qresync.uidValidity != m_selected.folder.uidValidity)
        return;
    if (const auto vanished = vanishedSince(qresync.modseq, qresync.knownUids); vanished && !vanished->isEmpty())
        untagged("VANISHED (EARLIER) "_ba + formatUidSet(*vanished));
    for (qsizetype i = 0; i < m_selected.messages.size(); ++i)
    {
        if (m_selected.messages[i].modseq > qresync.modseq)
            untagged(flagsFetch(i, true));
    }
}

std::optional<QList<qint64>> ImapSession::vanishedSince(qint64 modseq, const std::optional<SequenceSet>& within)
{
    const auto log = ExpungeLog(m_services.directory->database).vanishedSince(m_selected.folder.id, modseq);
    if (!log)
    {
        qCWarning(lcImap).noquote() << "cannot read the expunge log:" << log.error().message;
        return std::nullopt;
    }
    // UIDs the session still shows are not reported, even when another session expunged them.
    QSet<qint64> present;
    for (const SnapshotMessage& message : std::as_const(m_selected.messages))
        present.insert(message.uid);
    const qint64 highest = m_selected.folder.uidNext - 1;
    const auto wanted = [&](qint64 uid)
    {
        return !present.contains(uid) && (!within || inSet(*within, uid, highest));
    };
    QList<qint64> uids;
    if (log->complete)
    {
        for (qint64 uid : log->uids)
        {
            if (wanted(uid))
                uids.append(uid);
        }
        return uids;
    }
    // The log does not reach back that far: every UID that is not there any more may have vanished
    // since (RFC 7162 §3.2.5.2 lets the server name UIDs the client never knew).
    for (qint64 uid = 1; uid <= highest; ++uid)
    {
        if (wanted(uid))
            uids.append(uid);
    }
    return uids;
}

void ImapSession::reportExpunged(const QSet<qint64>& uids)
{
    // RFC 9051 §7.5.1: from the highest number down, so no number shifts before it is sent.
    // RFC 7162 §3.2.10: a client that enabled QRESYNC gets one VANISHED with the UIDs instead.
    const bool qresync = isEnabled("QRESYNC");
    QList<qint64> vanished;
    for (qsizetype i = m_selected.messages.size() - 1; i >= 0; --i)
    {
        const qint64 uid = m_selected.messages[i].uid;
        if (!uids.contains(uid))
            continue;
        m_selected.messages.removeAt(i);
        if (qresync)
            vanished.prepend(uid);
        else
            untagged(QByteArray::number(i + 1) + " EXPUNGE"_ba);
    }
    if (!vanished.isEmpty())
        untagged("VANISHED "_ba + formatUidSet(vanished));
}

} // namespace promail
