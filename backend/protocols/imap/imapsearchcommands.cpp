// ImapSession: SEARCH and UID SEARCH (RFC 9051 §6.4.4, §6.4.9), with the RETURN options of
// ESEARCH (RFC 4731 §3.1) and the saved result "$" of SEARCHRES (RFC 5182).
#include "protocols/imap/imapsearchkey.h"
#include "protocols/imap/imapsearchmatcher.h"
#include "protocols/imap/imapsearchresult.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::search(Request& request)
{
    const ImapSearchProgram program = ImapSearchProgram::parse(*request.parser);
    const bool saves = program.returnOptions & ImapSearchProgram::ReturnSave;
    if (!request.parser->ok())
    {
        // RFC 5182 §2.1: a SEARCH that would have saved its result and fails empties "$".
        if (saves)
            m_savedResult.clear();
        bad(request.tag, "Syntax error in SEARCH: "_ba + request.parser->error().toUtf8());
        return;
    }
    if (!ImapSearchProgram::isSupportedCharset(program.charset))
    {
        if (saves)
            m_savedResult.clear();
        // RFC 9051 §6.4.4: the charsets the server does support.
        no(request, "[BADCHARSET (UTF-8 US-ASCII)] Charset not supported"_ba);
        return;
    }
    // RFC 9051 §7.5.1: no EXPUNGE during SEARCH, but UID SEARCH may report them.
    synchronize(request.uid);

    const QList<SnapshotMessage>& messages = m_selected.messages;
    const ImapSearchMatcher::Folder folder{messages.size(), messages.isEmpty() ? 0 : messages.last().uid,
                                           &m_savedResult};
    ImapSearchMatcher matcher(program.key, folder);
    QList<qsizetype> found;
    for (qsizetype i = 0; i < messages.size(); ++i)
    {
        if (matcher.matches(messages[i], i))
            found.append(i);
    }
    QList<qint64> numbers;
    for (qsizetype index : std::as_const(found))
        numbers.append(request.uid ? messages[index].uid : qint64(index + 1));

    // RFC 9051 §7.3.4: a client that enabled IMAP4rev2 is answered with ESEARCH.
    const bool extended = program.extended || m_enabled.contains("IMAP4REV2"_ba);
    const int options = program.extended ? program.returnOptions : int(ImapSearchProgram::ReturnAll);
    if (saves)
    {
        QList<qsizetype> saved = ImapSearchResult::savedIndexes(found, options);
        m_savedResult.clear();
        for (qsizetype index : std::as_const(saved))
            m_savedResult.insert(messages[index].uid);
    }
    if (!extended)
    {
        QByteArray line = "SEARCH"_ba;
        for (qint64 number : std::as_const(numbers))
            line += ' ' + QByteArray::number(number);
        untagged(line);
    }
    else if (options != ImapSearchProgram::ReturnSave)
    {
        // RFC 5182 §2.4: RETURN (SAVE) alone gets no ESEARCH response.
        untagged(ImapSearchResult::esearch(request.tag, request.uid, numbers, options));
    }
    ok(request, request.name + " completed"_ba);
}

} // namespace promail
