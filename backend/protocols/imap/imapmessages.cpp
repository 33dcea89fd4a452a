// ImapSession: message commands — FETCH and STORE (RFC 9051 §6.4.5, §6.4.6) and their UID
// forms (§6.4.9). A FETCH is written one message at a time as the client reads it.
#include "directory/directorycontext.h"
#include "mailstore/flagstore.h"
#include "message/headerblock.h"
#include "message/imapbodystructure.h"
#include "message/imapenvelope.h"
#include "message/mimeparser.h"
#include "protocols/imap/imapsection.h"
#include "protocols/imap/imapsession.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QByteArray flagList(const QList<QByteArray>& flags)
{
    return '(' + QByteArrayList(flags).join(' ') + ')';
}

// RFC 9051 §9 date-time: "dd-Mon-yyyy hh:mm:ss +zzzz", English month names whatever the locale.
QByteArray internalDate(qint64 seconds)
{
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    const QDate date = time.date();
    return '"' + QByteArray::number(date.day()).rightJustified(2, '0') + '-' + kMonths[date.month() - 1] + '-' +
           QByteArray::number(date.year()) + ' ' + time.time().toString(u"hh:mm:ss"_s).toLatin1() + " +0000\""_ba;
}

// RFC 9051 §2.3.2: the system flags a client may set (\Recent is the server's alone).
bool isSettableFlag(const QByteArray& flag)
{
    if (!flag.startsWith('\\'))
        return true; // a keyword
    for (QByteArrayView system : {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"})
    {
        if (flag.compare(system, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray canonicalFlag(const QByteArray& flag)
{
    for (QByteArrayView system : {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"})
    {
        if (flag.compare(system, Qt::CaseInsensitive) == 0)
            return system.toByteArray();
    }
    return flag;
}
} // namespace

std::optional<QList<qsizetype>> ImapSession::resolve(Request& request, const SequenceSet& set)
{
    const auto& messages = m_selected.messages;
    QList<qsizetype> indexes;
    for (const SequenceRange& range : set)
    {
        if (range.first == SequenceRange::kSaved)
        {
            // RFC 5182 §2.1: "$" is the last saved search result, kept as UIDs whatever the command.
            for (qsizetype i = 0; i < messages.size(); ++i)
            {
                if (m_savedResult.contains(messages[i].uid))
                    indexes.append(i);
            }
            continue;
        }
        if (request.uid)
        {
            // RFC 9051 §6.4.9: "*" is the highest UID; UIDs that do not exist are ignored.
            const qint64 highest = messages.isEmpty() ? 0 : messages.last().uid;
            const qint64 a = range.first == SequenceRange::kStar ? highest : qint64(range.first);
            const qint64 b = range.last == SequenceRange::kStar ? highest : qint64(range.last);
            const qint64 low = std::min(a, b);
            const qint64 high = std::max(a, b);
            for (qsizetype i = 0; i < messages.size(); ++i)
            {
                if (messages[i].uid >= low && messages[i].uid <= high)
                    indexes.append(i);
            }
            continue;
        }
        const qint64 count = messages.size();
        const qint64 a = range.first == SequenceRange::kStar ? count : qint64(range.first);
        const qint64 b = range.last == SequenceRange::kStar ? count : qint64(range.last);
        if (a < 1 || b < 1 || a > count || b > count)
        {
            // RFC 9051 §6.4.5: a number beyond the last message is a protocol error.
            bad(request.tag, "Invalid message sequence number"_ba);
            return std::nullopt;
        }
        for (qint64 n = std::min(a, b); n <= std::max(a, b); ++n)
            indexes.append(qsizetype(n - 1));
    }
    std::sort(indexes.begin(), indexes.end());
    indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
    return indexes;
}

void ImapSession::fetch(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const SequenceSet set = parser.sequenceSet();
    parser.space();
    QList<ImapFetchAttribute> attributes = ImapFetchRequest::parse(parser);
    const FetchModifiers modifiers = parseFetchModifiers(parser);
    if (!requireEnd(request))
        return;
    using Kind = ImapFetchAttribute::Kind;
    const auto has = [&attributes](Kind kind)
    {
        return std::any_of(attributes.cbegin(), attributes.cend(), [kind](const auto& a) { return a.kind == kind; });
    };
    if (modifiers.vanished && (!request.uid || !isEnabled("QRESYNC")))
    {
        bad(request.tag, "VANISHED needs UID FETCH and ENABLE QRESYNC (RFC 7162 §3.2.6)"_ba);
        return;
    }
    if (modifiers.changedSince >= 0 || has(Kind::Modseq))
    {
        // RFC 7162 §3.1: CONDSTORE-enabling; the snapshot's MODSEQs are brought up to date first
        // (no EXPUNGE during FETCH, RFC 9051 §7.5.1).
        enableCondstore();
        synchronize(false);
    }
    auto indexes = resolve(request, set);
    if (!indexes)
        return;
    if (modifiers.vanished)
    {
        // RFC 7162 §3.2.6: the UIDs of the set expunged since, before the FETCH responses.
        const auto vanished = vanishedSince(modifiers.changedSince, set);
        if (vanished && !vanished->isEmpty())
            untagged("VANISHED (EARLIER) "_ba + formatUidSet(*vanished));
    }
    if (modifiers.changedSince >= 0)
    {
        // RFC 7162 §3.1.4.1: only messages changed since, and MODSEQ is implied.
        indexes->removeIf([this, &modifiers](qsizetype index)
                          { return m_selected.messages[index].modseq <= modifiers.changedSince; });
        if (!has(Kind::Modseq))
            attributes.append(ImapFetchAttribute{Kind::Modseq});
    }
    // RFC 9051 §6.4.9: the responses to UID FETCH always carry the UID.
    if (request.uid && !has(Kind::Uid))
        attributes.prepend(ImapFetchAttribute{Kind::Uid});
    const bool setsSeen =
        std::any_of(attributes.cbegin(), attributes.cend(), [](const auto& a) { return a.setsSeen(); });
    if (setsSeen && !m_readOnly && m_access.rights.has('s'))
    {
        // RFC 9051 §6.4.5: BODY[] without .PEEK sets \Seen; the changed flags come with the response.
        // RFC 4314 §4: only with the "s" right.
        QList<qint64> unseen;
        for (qsizetype index : *indexes)
        {
            if (!m_selected.messages[index].flags.contains("\\Seen"_ba))
                unseen.append(m_selected.messages[index].uid);
        }
        if (!unseen.isEmpty())
        {
            const auto updates = FlagStore(m_services.directory->database)
                                     .change(m_selected.folder.id, unseen, FlagChange::Add, {"\\Seen"_ba});
            if (updates)
            {
                for (const FlagUpdate& update : *updates)
                {
                    for (SnapshotMessage& message : m_selected.messages)
                    {
                        if (message.uid == update.uid)
                        {
                            message.flags = update.flags;
                            message.modseq = update.modseq;
                        }
                    }
                }
                if (!has(Kind::Flags))
                    attributes.append(ImapFetchAttribute{Kind::Flags});
                // RFC 7162 §3.2.4: a FETCH that sets \Seen reports UID and MODSEQ too.
                if (condstoreEnabled() && !has(Kind::Uid))
                    attributes.append(ImapFetchAttribute{Kind::Uid});
                if (condstoreEnabled() && !has(Kind::Modseq))
                    attributes.append(ImapFetchAttribute{Kind::Modseq});
            }
        }
    }
    m_fetch = FetchJob{request.tag, request.name + " completed"_ba, *indexes, 0, attributes, request.uid};
    m_phase = Phase::Sending;
    continueFetch();
}

void ImapSession::continueFetch()
{
    while (m_phase == Phase::Sending && m_fetch)
    {
        if (writeBacklog() >= 2 * kSendChunk)
            return; // bytesWritten brings us back
        if (!m_pending.isEmpty())
        {
            streamPending();
            continue;
        }
        if (m_fetch->next < m_fetch->indexes.size())
        {
            writeFetchResponse(m_fetch->indexes[m_fetch->next++]);
            continue;
        }
        finishFetch();
    }
}

void ImapSession::streamPending()
{
    Piece& piece = m_pending.first();
    if (piece.length < 0)
    {
        send(piece.bytes);
        m_pending.removeFirst();
        return;
    }
    const qsizetype take = std::min<qsizetype>(piece.length, kSendChunk);
    send(QByteArray(reinterpret_cast<const char*>(m_mapped) + piece.offset, take));
    piece.offset += take;
    piece.length -= take;
    if (piece.length == 0)
        m_pending.removeFirst();
}

void ImapSession::finishFetch()
{
    const FetchJob job = *std::exchange(m_fetch, std::nullopt);
    m_file.close();
    m_mapped = nullptr;
    m_phase = Phase::Command;
    if (job.unknownCte)
        send(job.tag + " NO [UNKNOWN-CTE] Cannot decode the Content-Transfer-Encoding of a part\r\n"_ba);
    else
        send(job.tag + " OK "_ba + job.doneText + "\r\n"_ba);
    restartTimer();
    QMetaObject::invokeMethod(this, &ImapSession::process, Qt::QueuedConnection);
}

bool ImapSession::writeFetchResponse(qsizetype index)
{
    using Kind = ImapFetchAttribute::Kind;
    using Text = ImapFetchAttribute::Text;
    const SnapshotMessage& message = m_selected.messages[index];
    const bool needsContent = std::any_of(m_fetch->attributes.cbegin(), m_fetch->attributes.cend(),
                                          [](const auto& a) { return a.needsContent(); });
    m_file.close();
    m_mapped = nullptr;
    QByteArrayView content;
    if (needsContent)
    {
        m_file.setFileName(message.path);
        if (!m_file.open(QIODevice::ReadOnly))
        {
            qCWarning(lcImap).noquote() << "cannot read" << message.path << ":" << m_file.errorString();
            return false; // the message is left out of the response
        }
        if (m_file.size() > 0)
        {
            m_mapped = m_file.map(0, m_file.size());
            if (!m_mapped)
            {
                qCWarning(lcImap).noquote() << "cannot map" << message.path << ":" << m_file.errorString();
                m_file.close();
                return false;
            }
            content = QByteArrayView(reinterpret_cast<const char*>(m_mapped), m_file.size());
        }
    }
    std::optional<MimeTree> tree;
    const auto parsed = [&]() -> const MimeTree&
    {
        if (!tree)
            tree = MimeParser::parse(content);
        return *tree;
    };
    // RFC 3516 §4.2: a part whose encoding cannot be undone fails the FETCH with UNKNOWN-CTE.
    QList<ImapSectionData> binaries;
    for (const ImapFetchAttribute& attribute : std::as_const(m_fetch->attributes))
    {
        if (attribute.kind != Kind::Binary && attribute.kind != Kind::BinarySize)
            continue;
        const auto data = ImapSection::binary(content, parsed(), attribute);
        if (!data)
        {
            m_fetch->unknownCte = true;
            return false;
        }
        binaries.append(*data);
    }
    const auto appendSection = [&](QByteArray& line, const ImapSectionData& data)
    {
        if (data.isBuilt)
            line += data.built;
        else
        {
            // The bytes go from the mapped file to the socket in chunks.
            m_pending.append(Piece::text(line));
            m_pending.append(Piece::range(data.offset, data.length));
            line.clear();
        }
    };
    QByteArray line = "* "_ba + QByteArray::number(index + 1) + " FETCH ("_ba;
    bool first = true;
    for (const ImapFetchAttribute& attribute : std::as_const(m_fetch->attributes))
    {
        if (!first)
            line += ' ';
        first = false;
        line += attribute.responseName() + ' ';
        switch (attribute.kind)
        {
        case Kind::Flags:
            line += flagList(message.flags);
            break;
        case Kind::InternalDate:
            line += internalDate(message.internalDate);
            break;
        case Kind::Rfc822Size:
            line += QByteArray::number(message.size);
            break;
        case Kind::Uid:
            line += QByteArray::number(message.uid);
            break;
        case Kind::Modseq:
            line += '(' + QByteArray::number(message.modseq) + ')'; // RFC 7162 §3.1.4.1
            break;
        case Kind::Envelope:
            line += ImapEnvelope::format(HeaderBlock::parse(content));
            break;
        case Kind::BodyStructure:
            line += ImapBodyStructure::format(parsed(), content, ImapBodyStructure::Form::BodyStructure);
            break;
        case Kind::Body:
            line += ImapBodyStructure::format(parsed(), content, ImapBodyStructure::Form::Body);
            break;
        case Kind::BodySection:
        case Kind::Rfc822:
        case Kind::Rfc822Header:
        case Kind::Rfc822Text:
        {
            ImapFetchAttribute section = attribute;
            if (attribute.kind == Kind::Rfc822Header)
                section.text = Text::Header;
            else if (attribute.kind == Kind::Rfc822Text)
                section.text = Text::Text;
            const ImapSectionData data = ImapSection::extract(content, parsed(), section);
            line += '{' + QByteArray::number(data.size()) + "}\r\n"_ba;
            appendSection(line, data);
            break;
        }
        case Kind::BinarySize:
            line += QByteArray::number(binaries.takeFirst().size());
            break;
        case Kind::Binary:
        {
            const ImapSectionData data = binaries.takeFirst();
            // RFC 3516 §4.2: bytes with NUL can only be sent as a literal8.
            line += (data.containsNul(content) ? "~{"_ba : "{"_ba) + QByteArray::number(data.size()) + "}\r\n"_ba;
            appendSection(line, data);
            break;
        }
        }
    }
    line += ")\r\n";
    m_pending.append(Piece::text(line));
    return true;
}

void ImapSession::store(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const SequenceSet set = parser.sequenceSet();
    parser.space();
    const qint64 unchangedSince = parseStoreModifiers(parser);
    FlagChange change = FlagChange::Replace;
    if (parser.present("+"))
        change = FlagChange::Add;
    else if (parser.present("-"))
        change = FlagChange::Remove;
    parser.cursor().require("FLAGS");
    const bool silent = parser.present(".SILENT");
    parser.space();
    QList<QByteArray> flags;
    if (parser.cursor().next() == '(')
        flags = parser.flagList();
    else
    {
        // RFC 9051 §9 store-att-flags: the list may also come without parentheses.
        do
        {
            const bool system = parser.present("\\");
            const QByteArray flag = parser.atom();
            flags.append(system ? '\\' + flag : flag);
        } while (parser.ok() && parser.present(" "));
    }
    if (!requireEnd(request))
        return;
    for (QByteArray& flag : flags)
    {
        if (!isSettableFlag(flag))
        {
            bad(request.tag, "Invalid flag "_ba + flag);
            return;
        }
        flag = canonicalFlag(flag);
    }
    if (unchangedSince >= 0)
        enableCondstore(); // RFC 7162 §3.1
    const auto indexes = resolve(request, set);
    if (!indexes)
        return;
    // RFC 4314 §4: the rights for every flag the command would change (\Seen s, \Deleted t, others w).
    QByteArray needed;
    for (qsizetype index : *indexes)
    {
        const QList<QByteArray>& before = m_selected.messages[index].flags;
        const QList<QByteArray> after = FlagStore::apply(before, change, flags);
        for (const QByteArray& flag : before + after)
        {
            if (before.contains(flag) != after.contains(flag) && !needed.contains(flagRight(flag)))
                needed += flagRight(flag);
        }
    }
    if (!selectedAllows(request, needed))
        return;
    if (m_readOnly)
    {
        no(request, "[CANNOT] The folder is read-only (EXAMINE)"_ba);
        return;
    }
    QList<qint64> uids;
    for (qsizetype index : *indexes)
        uids.append(m_selected.messages[index].uid);
    const auto updates =
        FlagStore(m_services.directory->database).change(m_selected.folder.id, uids, change, flags, unchangedSince);
    if (!updates)
    {
        qCWarning(lcImap).noquote() << "cannot store flags:" << updates.error().message;
        no(request, "[UNAVAILABLE] Cannot change the flags now; try again later"_ba);
        return;
    }
    QHash<qint64, const FlagUpdate*> byUid;
    for (const FlagUpdate& update : *updates)
        byUid.insert(update.uid, &update);
    QList<qint64> modified;
    for (qsizetype index : *indexes)
    {
        SnapshotMessage& message = m_selected.messages[index];
        const FlagUpdate* update = byUid.value(message.uid);
        if (!update)
            continue; // expunged by another session meanwhile
        if (update->conflict)
        {
            // RFC 7162 §3.1.3: the client learns which messages changed under it, by number or UID;
            // their new flags come at the next synchronization, like any other session's change.
            modified.append(request.uid ? message.uid : index + 1);
            continue;
        }
        const bool modseqChanged = update->modseq != message.modseq;
        message.flags = update->flags;
        message.modseq = update->modseq;
        // RFC 9051 §6.4.6: the new flags, unless .SILENT; RFC 7162 §3.1.3: with CONDSTORE the new
        // MODSEQ is sent even then.
        if (!silent)
            untagged(flagsFetch(index, request.uid));
        else if (condstoreEnabled() && (modseqChanged || unchangedSince >= 0))
            untagged(QByteArray::number(index + 1) + " FETCH (UID "_ba + QByteArray::number(message.uid) +
                     " MODSEQ ("_ba + QByteArray::number(message.modseq) + "))"_ba);
    }
    if (!modified.isEmpty())
    {
        ok(request, "[MODIFIED "_ba + formatUidSet(modified) + "] Conditional STORE failed"_ba);
        return;
    }
    ok(request, request.name + " completed"_ba);
}

} // namespace promail
