// ImapSession: CONDSTORE (RFC 7162 §3.1) — the command modifiers CHANGEDSINCE, UNCHANGEDSINCE and
// the SELECT parameter, the implicit enabling rules, and the FETCH responses that carry MODSEQ.
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

bool ImapSession::condstoreEnabled() const
{
    // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
    return isEnabled("CONDSTORE") || isEnabled("QRESYNC");
}

void ImapSession::enableCondstore()
{
    if (condstoreEnabled())
        return;
    m_enabled.insert("CONDSTORE"_ba);
    // RFC 7162 §3.1: enabled while a folder is selected, the client learns its HIGHESTMODSEQ now.
    if (m_state == State::Selected)
        untagged(highestModseqResponse());
}

QByteArray ImapSession::highestModseqResponse() const
{
    return "OK [HIGHESTMODSEQ "_ba + QByteArray::number(m_selected.folder.highestModseq) + "] Highest"_ba;
}

ImapSession::FetchModifiers ImapSession::parseFetchModifiers(ImapParser& parser)
{
    // RFC 7162 §3.1.4: fetch-modifier list after the data items; VANISHED (§3.2.6) needs CHANGEDSINCE.
    FetchModifiers modifiers;
    if (!parser.ok() || !parser.present(" ("))
        return modifiers;
    do
    {
        if (parser.present("CHANGEDSINCE "))
        {
            if (modifiers.changedSince >= 0)
                parser.cursor().fail(u"CHANGEDSINCE given twice"_s);
            modifiers.changedSince = parser.modseq();
        }
        else if (parser.present("VANISHED"))
            modifiers.vanished = true;
        else
            parser.cursor().fail(u"unknown FETCH modifier"_s);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    if (parser.ok() && modifiers.vanished && modifiers.changedSince < 0)
        parser.cursor().fail(u"VANISHED needs CHANGEDSINCE (RFC 7162 §3.2.6)"_s);
    return modifiers;
}

qint64 ImapSession::parseStoreModifiers(ImapParser& parser)
{
    // RFC 7162 §3.1.3: "STORE set (UNCHANGEDSINCE n) ...".
    if (!parser.ok() || !parser.present("("))
        return -1;
    parser.cursor().require("UNCHANGEDSINCE ");
    const qint64 value = parser.modseq();
    parser.cursor().require(") ");
    return value;
}

ImapSession::SelectParameters ImapSession::parseSelectParameters(ImapParser& parser)
{
    // RFC 4466 §2.1 select-params; RFC 7162 §3.1.8 CONDSTORE, §3.2.5 QRESYNC.
    SelectParameters parameters;
    if (!parser.ok() || !parser.present(" ("))
        return parameters;
    do
    {
        if (parser.present("CONDSTORE"))
            parameters.condstore = true;
        else if (parser.present("QRESYNC ("))
            parseQresyncParameter(parser, parameters);
        else
            parser.cursor().fail(u"unknown SELECT parameter"_s);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    return parameters;
}

QByteArray ImapSession::flagsFetch(qsizetype index, bool withUid) const
{
    // RFC 7162 §3.2.4 (§3.1.3): once CONDSTORE is on, every untagged FETCH of changed flags carries
    // the UID and the MODSEQ.
    const SnapshotMessage& message = m_selected.messages[index];
    QByteArray line =
        QByteArray::number(index + 1) + " FETCH (FLAGS ("_ba + QByteArrayList(message.flags).join(' ') + ')';
    if (withUid || condstoreEnabled())
        line += " UID "_ba + QByteArray::number(message.uid);
    if (condstoreEnabled())
        line += " MODSEQ ("_ba + QByteArray::number(message.modseq) + ')';
    return line + ')';
}

} // namespace promail
