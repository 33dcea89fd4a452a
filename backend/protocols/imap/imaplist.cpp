// ImapSession: LIST with the extensions of RFC 5258 (LIST-EXTENDED), RFC 6154 §5 (SPECIAL-USE
// selection) and RFC 5819 (LIST-STATUS), LSUB (RFC 3501 §6.3.9) and STATUS (RFC 9051 §6.3.11 with
// SIZE of RFC 8438, DELETED, DELETED-STORAGE of RFC 9208 §4.3 and APPENDLIMIT of RFC 7889 §4).
#include "directory/directorycontext.h"
#include "mailstore/folderview.h"
#include "protocols/imap/imaplistcommand.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::list(Request& request)
{
    listFolders(request, false);
}

void ImapSession::lsub(Request& request)
{
    // RFC 3501 §6.3.9: LIST restricted to the subscribed folders, answered with LSUB.
    listFolders(request, true);
}

void ImapSession::listFolders(Request& request, bool lsub)
{
    const QByteArray verb = lsub ? "LSUB"_ba : "LIST"_ba;
    ImapParser& parser = *request.parser;
    ImapListCommand command = ImapListCommand::parse(parser);
    // The wildcards are printable US-ASCII, so they pass through the name decoding unchanged.
    command.reference = decodeMailbox(parser, command.reference);
    for (QByteArray& pattern : command.patterns)
        pattern = decodeMailbox(parser, pattern);
    if (parser.ok() && lsub && command.extended)
        parser.cursor().fail(u"LSUB takes a reference and one pattern"_s);
    if (!parser.ok())
    {
        bad(request.tag, "Syntax error: "_ba + parser.error().toUtf8());
        return;
    }
    if (command.statusItems.contains("HIGHESTMODSEQ"))
        enableCondstore(); // RFC 7162 §3.1
    if (lsub)
        command.selectSubscribed = true;
    if (command.patterns == QList<QByteArray>{QByteArray()})
    {
        // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
        untagged(verb + " (\\Noselect) \"/\" \"\""_ba);
        ok(request, verb + " completed"_ba);
        return;
    }
    const auto folders = visibleFolders(request);
    if (!folders)
        return;
    // RFC 5258 §3 and RFC 6154 §5.3: the selection criteria.
    const auto selected = [&command](const ListedFolder& folder)
    {
        return (!command.selectSubscribed || folder.subscribed) &&
               (!command.selectSpecialUse || !folder.specialUse.isEmpty());
    };
    const FolderView view(m_services.directory->database, m_services.directory->paths);
    for (const ListedFolder& folder : *folders)
    {
        const QByteArray& name = folder.name;
        if (!command.matches(name))
            continue;
        bool children = false;
        bool selectedChild = false;
        for (const ListedFolder& other : *folders)
        {
            if (!other.name.startsWith(QByteArray(name + '/')))
                continue;
            children = true;
            selectedChild = selectedChild || selected(other);
        }
        // RFC 5258 §3.5: RECURSIVEMATCH also lists a parent whose descendants are selected, with CHILDINFO.
        const bool childInfo = command.recursiveMatch && selectedChild;
        if (!selected(folder) && !childInfo)
            continue;
        QByteArrayList attributes;
        if (!folder.selectable)
            attributes.append("\\Noselect"_ba);
        attributes.append(children ? "\\HasChildren"_ba : "\\HasNoChildren"_ba); // RFC 3348
        if (!lsub && command.returnSubscribed && folder.subscribed)
            attributes.append("\\Subscribed"_ba); // RFC 5258 §3
        if (!folder.specialUse.isEmpty())
            attributes.append(folder.specialUse.toUtf8()); // RFC 6154 §2
        QByteArray line = verb + " ("_ba + attributes.join(' ') + ") \"/\" "_ba + mailboxToWire(name);
        if (childInfo && command.selectSubscribed)
            line += " (\"CHILDINFO\" (\"SUBSCRIBED\"))"_ba;
        untagged(line);
        // RFC 5819 §2: STATUS after the LIST line, only for folders that can be selected and read.
        if (command.statusItems.isEmpty() || !folder.selectable || !folder.readable)
            continue;
        const auto summary = view.summary(folder.ownerId, folder.ownerFolder);
        if (summary)
            untagged(statusLine(name, *summary, command.statusItems));
    }
    ok(request, verb + " completed"_ba);
}

QByteArray ImapSession::statusLine(const QByteArray& name, const FolderSummary& folder,
                                   const QList<QByteArray>& items) const
{
    QByteArrayList values;
    for (const QByteArray& item : items)
    {
        QByteArray value;
        if (item == "MESSAGES")
            value = QByteArray::number(folder.messages);
        else if (item == "UIDNEXT")
            value = QByteArray::number(folder.uidNext);
        else if (item == "UIDVALIDITY")
            value = QByteArray::number(folder.uidValidity);
        else if (item == "UNSEEN")
            value = QByteArray::number(folder.unseen);
        else if (item == "DELETED")
            value = QByteArray::number(folder.deleted);
        else if (item == "SIZE")
            value = QByteArray::number(folder.bytes); // RFC 8438 §3: octets
        else if (item == "DELETED-STORAGE")
            value = QByteArray::number((folder.deletedBytes + 1023) / 1024); // RFC 9208 §4.3: KiB
        else if (item == "HIGHESTMODSEQ")
            value = QByteArray::number(folder.highestModseq); // RFC 7162 §3.1.10
        else if (item == "APPENDLIMIT")
            value = QByteArray::number(m_reader.maxAppendLiteral()); // RFC 7889 §4
        else
            value = "0"_ba; // RECENT: ProMail keeps no \Recent
        values.append(item + ' ' + value);
    }
    return "STATUS "_ba + mailboxToWire(name) + " ("_ba + values.join(' ') + ')';
}

void ImapSession::status(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    parser.space();
    const QList<QByteArray> items = parseStatusItems(parser);
    if (parser.ok() && items.contains("RECENT") && isEnabled("IMAP4REV2"))
        parser.cursor().fail(u"RECENT is not a STATUS item in IMAP4rev2 (RFC 9051 Appendix E)"_s);
    if (!requireEnd(request))
        return;
    const auto found = access(request, name, "r"); // RFC 4314 §4
    if (!found)
        return;
    if (items.contains("HIGHESTMODSEQ"))
        enableCondstore();                            // RFC 7162 §3.1
    untagged(statusLine(name, found->folder, items)); // access() read the folder's summary
    ok(request, "STATUS completed"_ba);
}

} // namespace promail
