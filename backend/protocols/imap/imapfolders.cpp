// ImapSession: folder commands — SELECT, EXAMINE (RFC 9051 §6.3), CHECK, CLOSE, EXPUNGE (§6.4),
// UNSELECT (RFC 3691) — and the updates of the selected folder's snapshot. LIST, LSUB and STATUS
// are in imaplist.cpp.
#include "directory/directorycontext.h"
#include "mailstore/folderindex.h"
#include "protocols/imap/imapsession.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QByteArray kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft"_ba;
} // namespace

void ImapSession::select(Request& request)
{
    openFolder(request, false);
}

void ImapSession::examine(Request& request)
{
    openFolder(request, true);
}

void ImapSession::openFolder(Request& request, bool readOnly)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    const SelectParameters parameters = parseSelectParameters(parser);
    if (!requireEnd(request))
        return;
    if (parameters.qresync && !isEnabled("QRESYNC"))
    {
        bad(request.tag, "QRESYNC needs ENABLE QRESYNC first (RFC 7162 §3.2.5)"_ba);
        return;
    }
    if (parameters.condstore)
        enableCondstore(); // RFC 7162 §3.1.8
    // RFC 9051 §6.3.2: a SELECT leaves the selected state first, even when it fails; RFC 7162
    // §3.2.11 and RFC 9051 tell the client so with [CLOSED].
    if (m_state == State::Selected && (isEnabled("QRESYNC") || isEnabled("IMAP4REV2")))
        untagged("OK [CLOSED] Previous folder closed"_ba);
    m_state = State::Authenticated;
    m_selected = {};
    m_savedResult.clear();                         // RFC 5182 §2.1: SELECT and EXAMINE empty "$"
    const auto found = access(request, name, "r"); // RFC 4314 §4
    if (!found)
        return;
    const auto snapshot = FolderView(m_services.directory->database, m_services.directory->paths)
                              .snapshot(found->ownerId, found->folder.name);
    if (!snapshot)
    {
        no(request, snapshot.error().code == ErrorCode::NotFound ? "[NONEXISTENT] No such folder"_ba
                                                                 : "[SERVERBUG] Cannot open the folder"_ba);
        return;
    }
    m_selected = *snapshot;
    m_access = *found;
    // RFC 4314 §4: read-only also when the user may change nothing (none of s, w, t, e).
    m_readOnly = readOnly || !m_access.rights.hasAny("swte");
    m_state = State::Selected;
    // RFC 3501 §6.3.1: the required untagged responses.
    untagged("FLAGS ("_ba + kSystemFlags + ')');
    untagged(QByteArray::number(m_selected.messages.size()) + " EXISTS"_ba);
    const bool rev2 = isEnabled("IMAP4REV2");
    if (rev2)
        untagged("LIST () \"/\" "_ba + mailboxToWire(name)); // RFC 9051 §6.3.2
    else
        untagged("0 RECENT"_ba); // RFC 9051 Appendix E: no \Recent, no RECENT, no [UNSEEN] in IMAP4rev2
    for (qsizetype i = 0; i < m_selected.messages.size() && !rev2; ++i)
    {
        if (!m_selected.messages[i].flags.contains("\\Seen"_ba))
        {
            untagged("OK [UNSEEN "_ba + QByteArray::number(i + 1) + "] First unseen message"_ba);
            break;
        }
    }
    // RFC 4314 §4: only the flags the user may change.
    QByteArrayList permanent;
    for (const QByteArray& flag : kSystemFlags.split(' '))
    {
        if (m_access.rights.has(flagRight(flag)))
            permanent.append(flag);
    }
    if (m_access.rights.has('w'))
        permanent.append("\\*"_ba);
    untagged(m_readOnly ? "OK [PERMANENTFLAGS ()] Read-only folder"_ba
                        : "OK [PERMANENTFLAGS ("_ba + permanent.join(' ') + ")] Flags permitted"_ba);
    untagged("OK [UIDVALIDITY "_ba + QByteArray::number(m_selected.folder.uidValidity) + "] UIDs valid"_ba);
    untagged("OK [UIDNEXT "_ba + QByteArray::number(m_selected.folder.uidNext) + "] Predicted next UID"_ba);
    if (condstoreEnabled())
        untagged(highestModseqResponse()); // RFC 7162 §3.1.2.1
    if (parameters.qresync)
        resynchronize(*parameters.qresync);
    ok(request, (m_readOnly ? "[READ-ONLY] "_ba : "[READ-WRITE] "_ba) + request.name + " completed"_ba);
}

void ImapSession::check(Request& request)
{
    if (!requireEnd(request))
        return;
    // RFC 3501 §6.4.1: every change is durable already; CHECK is a NOOP here.
    synchronize(true);
    ok(request, "CHECK completed"_ba);
}

void ImapSession::close(Request& request)
{
    if (!requireEnd(request))
        return;
    // RFC 9051 §6.4.1: CLOSE expunges silently, unless the folder is read-only or the user may
    // not expunge (RFC 4314 §4: then CLOSE just closes).
    if (!m_readOnly && m_access.rights.has('e'))
        expungeDeleted(false);
    m_state = State::Authenticated;
    m_selected = {};
    ok(request, "CLOSE completed"_ba);
}

void ImapSession::unselect(Request& request)
{
    if (!requireEnd(request))
        return;
    m_state = State::Authenticated;
    m_selected = {};
    ok(request, "UNSELECT completed"_ba);
}

void ImapSession::expunge(Request& request)
{
    if (!requireEnd(request) || !selectedAllows(request, "e"))
        return;
    if (m_readOnly)
    {
        no(request, "[CANNOT] The folder is read-only (EXAMINE)"_ba);
        return;
    }
    synchronize(true); // \Deleted set by another session counts too
    if (!expungeDeleted(true))
    {
        no(request, "[UNAVAILABLE] Cannot expunge now; try again later"_ba);
        return;
    }
    ok(request, "EXPUNGE completed"_ba);
}

bool ImapSession::expungeDeleted(bool report, const QSet<qint64>* within)
{
    QList<qint64> uids;
    for (const SnapshotMessage& message : std::as_const(m_selected.messages))
    {
        if (message.flags.contains("\\Deleted"_ba) && (!within || within->contains(message.uid)))
            uids.append(message.uid);
    }
    if (uids.isEmpty())
        return true;
    const auto expunged = FolderIndex(m_services.directory->database, m_services.directory->paths)
                              .expunge(m_access.ownerId, m_selected.folder.id, uids);
    if (!expunged)
    {
        qCWarning(lcImap).noquote() << "cannot expunge:" << expunged.error().message;
        return false;
    }
    const QSet<qint64> gone(expunged->uids.cbegin(), expunged->uids.cend());
    if (report)
        reportExpunged(gone);
    else
        m_selected.messages.removeIf([&gone](const SnapshotMessage& message) { return gone.contains(message.uid); });
    return true;
}

void ImapSession::synchronize(bool reportExpunges)
{
    if (m_state != State::Selected)
        return;
    const FolderView view(m_services.directory->database, m_services.directory->paths);
    const auto counters = view.counters(m_selected.folder.id);
    if (!counters ||
        (counters->highestModseq == m_selected.folder.highestModseq && counters->uidNext == m_selected.folder.uidNext))
        return;
    const auto fresh = view.snapshot(m_access.ownerId, m_selected.folder.name);
    if (!fresh)
        return;
    QHash<qint64, const SnapshotMessage*> byUid;
    for (const SnapshotMessage& message : fresh->messages)
        byUid.insert(message.uid, &message);
    QSet<qint64> gone;
    for (const SnapshotMessage& message : std::as_const(m_selected.messages))
    {
        if (!byUid.contains(message.uid))
            gone.insert(message.uid);
    }
    // RFC 9051 §7.5.1: when expunges may not be reported now, they are at a later command.
    const bool pendingExpunge = !gone.isEmpty() && !reportExpunges;
    if (reportExpunges)
        reportExpunged(gone);
    const qint64 lastUid = m_selected.messages.isEmpty() ? 0 : m_selected.messages.last().uid;
    for (qsizetype i = 0; i < m_selected.messages.size(); ++i)
    {
        SnapshotMessage& message = m_selected.messages[i];
        const SnapshotMessage* now = byUid.value(message.uid);
        if (!now || (now->flags == message.flags && now->modseq == message.modseq))
            continue;
        const bool flagsChanged = now->flags != message.flags;
        message.flags = now->flags;
        message.modseq = now->modseq;
        // RFC 7162 §3.2.4: with CONDSTORE a new MODSEQ is news even when the flags ended up the same.
        if (flagsChanged || condstoreEnabled())
            untagged(flagsFetch(i, false));
    }
    const qsizetype before = m_selected.messages.size();
    for (const SnapshotMessage& message : fresh->messages)
    {
        if (message.uid > lastUid)
            m_selected.messages.append(message);
    }
    // RFC 3501 §5.2: new messages are announced with EXISTS.
    if (m_selected.messages.size() != before)
        untagged(QByteArray::number(m_selected.messages.size()) + " EXISTS"_ba);
    const qint64 knownModseq = m_selected.folder.highestModseq;
    m_selected.folder = fresh->folder;
    if (pendingExpunge)
        m_selected.folder.highestModseq = knownModseq;
}

} // namespace promail
