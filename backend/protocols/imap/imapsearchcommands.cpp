// ImapSession: SEARCH and UID SEARCH (RFC 9051 §6.4.4, §6.4.9), with the RETURN options of
// ESEARCH (RFC 4731 §3.1) and the saved result "$" of SEARCHRES (RFC 5182); SORT and UID SORT
// (RFC 5256 §3), THREAD and UID THREAD (RFC 5256 §3, ORDEREDSUBJECT and REFERENCES).
#include "protocols/imap/imapsearchkey.h"
#include "protocols/imap/imapsearchmatcher.h"
#include "protocols/imap/imapsearchresult.h"
#include "protocols/imap/imapsession.h"
#include "protocols/imap/imapsort.h"
#include "protocols/imap/imapthread.h"

#include "message/headerblock.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// The header section of a message file; empty when the file cannot be read.
HeaderBlock readHeader(const QString& path)
{
    QFile file(path);
    return HeaderBlock::parse(file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
}
} // namespace

QList<qsizetype> ImapSession::matchingMessages(const Request& request, const ImapSearchKey& key)
{
    // RFC 9051 §7.5.1: no EXPUNGE during SEARCH, SORT or THREAD, but their UID forms may report them.
    synchronize(request.uid);
    const QList<SnapshotMessage>& messages = m_selected.messages;
    const ImapSearchMatcher::Folder folder{messages.size(), messages.isEmpty() ? 0 : messages.last().uid,
                                           &m_savedResult};
    ImapSearchMatcher matcher(key, folder);
    QList<qsizetype> found;
    for (qsizetype i = 0; i < messages.size(); ++i)
    {
        if (matcher.matches(messages[i], i))
            found.append(i);
    }
    return found;
}

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
    const QList<qsizetype> found = matchingMessages(request, program.key);
    const QList<SnapshotMessage>& messages = m_selected.messages;
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

void ImapSession::sort(Request& request)
{
    // RFC 5256 §3: SORT SP sort-criteria SP charset 1*(SP search-key); the charset is required.
    ImapParser& parser = *request.parser;
    parser.space();
    const QList<ImapSort::Criterion> criteria = ImapSort::parseCriteria(parser);
    parser.space();
    const QByteArray charset = parser.astring().toUpper();
    parser.space();
    const ImapSearchKey key = ImapSearchProgram::parseKeys(parser);
    parser.end();
    if (!parser.ok())
    {
        bad(request.tag, "Syntax error in SORT: "_ba + parser.error().toUtf8());
        return;
    }
    if (!ImapSearchProgram::isSupportedCharset(charset))
    {
        no(request, "[BADCHARSET (UTF-8 US-ASCII)] Charset not supported"_ba);
        return;
    }
    const QList<qsizetype> found = matchingMessages(request, key);
    const bool needsHeader = ImapSort::needsHeader(criteria);
    QList<ImapSort::Record> records;
    for (qsizetype index : found)
    {
        const SnapshotMessage& message = m_selected.messages[index];
        if (!needsHeader)
        {
            records.append(ImapSort::Record::of(message, index, nullptr));
            continue;
        }
        const HeaderBlock header = readHeader(message.path);
        records.append(ImapSort::Record::of(message, index, &header));
    }
    ImapSort::sort(records, criteria);
    QByteArray line = "SORT"_ba;
    for (const ImapSort::Record& record : std::as_const(records))
        line += ' ' + QByteArray::number(request.uid ? m_selected.messages[record.index].uid : record.index + 1);
    untagged(line);
    ok(request, request.name + " completed"_ba);
}

void ImapSession::thread(Request& request)
{
    // RFC 5256 §3: THREAD SP thread-alg SP charset 1*(SP search-key).
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = parser.atom();
    parser.space();
    const QByteArray charset = parser.astring().toUpper();
    parser.space();
    const ImapSearchKey key = ImapSearchProgram::parseKeys(parser);
    parser.end();
    if (!parser.ok())
    {
        bad(request.tag, "Syntax error in THREAD: "_ba + parser.error().toUtf8());
        return;
    }
    const auto algorithm = ImapThread::algorithm(name);
    if (!algorithm)
    {
        bad(request.tag, "Unsupported threading algorithm "_ba + name);
        return;
    }
    if (!ImapSearchProgram::isSupportedCharset(charset))
    {
        no(request, "[BADCHARSET (UTF-8 US-ASCII)] Charset not supported"_ba);
        return;
    }
    QList<ImapThread::Message> messages;
    for (qsizetype index : matchingMessages(request, key))
        messages.append(
            ImapThread::Message::of(m_selected.messages[index], index, readHeader(m_selected.messages[index].path)));
    const QByteArray threads = ImapThread::threads(
        messages, *algorithm,
        [this, &request](qsizetype index) { return request.uid ? m_selected.messages[index].uid : index + 1; });
    untagged(threads.isEmpty() ? "THREAD"_ba : "THREAD "_ba + threads);
    ok(request, request.name + " completed"_ba);
}

} // namespace promail
