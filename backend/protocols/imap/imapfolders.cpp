// ImapSession: folder commands — LIST, STATUS, SELECT, EXAMINE (RFC 9051 §6.3), CHECK, CLOSE,
// EXPUNGE (§6.4), UNSELECT (RFC 3691) — and the updates of the selected folder's snapshot.
#include "directory/directorycontext.h"
#include "mailstore/folderindex.h"
#include "message/imapstring.h"
#include "protocols/imap/imapsession.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §6.3.9: "*" matches any characters, "%" any but the hierarchy separator "/".
bool matches(QByteArrayView pattern, QByteArrayView name)
{
    if (pattern.isEmpty())
        return name.isEmpty();
    const char first = pattern.front();
    if (first == '*' || first == '%')
    {
        for (qsizetype i = 0; i <= name.size(); ++i)
        {
            if (matches(pattern.sliced(1), name.sliced(i)))
                return true;
            if (i < name.size() && first == '%' && name[i] == '/')
                return false;
        }
        return false;
    }
    return !name.isEmpty() && name.front() == first && matches(pattern.sliced(1), name.sliced(1));
}

const QByteArray kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft"_ba;
} // namespace

void ImapSession::list(Request& request)
{
    listFolders(request, false);
}

void ImapSession::lsub(Request& request)
{
    // RFC 3501 §6.3.9: LIST restricted to the subscribed folders, answered with LSUB.
    listFolders(request, true);
}

void ImapSession::listFolders(Request& request, bool subscribedOnly)
{
    const QByteArray verb = subscribedOnly ? "LSUB"_ba : "LIST"_ba;
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray reference = decodeMailbox(parser, parser.astring());
    parser.space();
    // list-mailbox: an astring that may also hold the wildcards.
    QByteArray pattern;
    if (parser.cursor().next() == '"' || parser.cursor().next() == '{')
        pattern = parser.string();
    else
        pattern = parser.cursor().span(
            [](unsigned char c)
            { return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '"' && c != '\\'; },
            u"a mailbox pattern"_s);
    // The wildcards are printable US-ASCII, so they pass through the decoding unchanged.
    pattern = decodeMailbox(parser, pattern);
    if (!requireEnd(request))
        return;
    if (pattern.isEmpty())
    {
        // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
        untagged(verb + " (\\Noselect) \"/\" \"\""_ba);
        ok(request, verb + " completed"_ba);
        return;
    }
    const auto folders = visibleFolders(request);
    if (!folders)
        return;
    const QByteArray full = reference + pattern;
    for (const ListedFolder& folder : *folders)
    {
        const QByteArray& name = folder.name;
        // RFC 9051 §5.1: INBOX matches in any case.
        const bool match = name == "INBOX" ? matches(full.toUpper(), name) : matches(full, name);
        if (!match || (subscribedOnly && !folder.subscribed))
            continue;
        bool children = false;
        for (const ListedFolder& other : *folders)
            children = children || other.name.startsWith(QByteArray(name + '/'));
        QByteArrayList attributes{children ? "\\HasChildren"_ba : "\\HasNoChildren"_ba};
        if (!folder.selectable)
            attributes.prepend("\\Noselect"_ba);
        if (!folder.specialUse.isEmpty())
            attributes.append(folder.specialUse.toUtf8()); // RFC 6154 §2
        untagged(verb + " ("_ba + attributes.join(' ') + ") \"/\" "_ba + mailboxToWire(name));
    }
    ok(request, verb + " completed"_ba);
}

void ImapSession::status(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    parser.space();
    parser.cursor().require("(");
    QByteArrayList items;
    do
    {
        const QByteArray item = parser.atom().toUpper();
        // RFC 9051 §6.3.11: DELETED and SIZE are new; RECENT is gone from IMAP4rev2 (Appendix E).
        static const QByteArrayList kItems{"MESSAGES",      "UIDNEXT", "UIDVALIDITY", "UNSEEN",
                                           "HIGHESTMODSEQ", "DELETED", "SIZE"};
        if (parser.ok() && !kItems.contains(item) && (item != "RECENT" || isEnabled("IMAP4REV2")))
            parser.cursor().fail(u"unknown STATUS item"_s);
        items.append(item);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    if (!requireEnd(request))
        return;
    const auto found = access(request, name, "r"); // RFC 4314 §4
    if (!found)
        return;
    if (items.contains("HIGHESTMODSEQ"))
        enableCondstore(); // RFC 7162 §3.1
    const FolderSummary* folder = &found->folder;
    QByteArrayList values;
    for (const QByteArray& item : std::as_const(items))
    {
        const qint64 value = item == "MESSAGES"        ? folder->messages
                             : item == "UIDNEXT"       ? folder->uidNext
                             : item == "UIDVALIDITY"   ? folder->uidValidity
                             : item == "UNSEEN"        ? folder->unseen
                             : item == "DELETED"       ? folder->deleted
                             : item == "SIZE"          ? folder->size
                             : item == "HIGHESTMODSEQ" ? folder->highestModseq // RFC 7162 §3.1.10
                                                       : 0;                    // RECENT: ProMail keeps no \Recent
        values.append(item + ' ' + QByteArray::number(value));
    }
    untagged("STATUS "_ba + mailboxToWire(name) + " ("_ba + values.join(' ') + ')');
    ok(request, "STATUS completed"_ba);
}

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
