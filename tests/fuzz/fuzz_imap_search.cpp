// libFuzzer target for IMAP SEARCH (RFC 9051 §6.4.4) and SORT (RFC 5256): the bytes up to the
// first NUL are the arguments of a SEARCH command, which must parse into a well-formed tree or
// fail cleanly, and the tree must evaluate without crashing; the same bytes go through the SORT
// criteria parser. The bytes after the NUL are a message whose decoded header and body text
// (RFC 2047, RFC 2045 transfer encodings, charsets), sort record, base subject and THREAD
// message IDs must come out safely, and threading copies of it must give balanced thread-lists.
#include "message/basesubject.h"
#include "message/headerblock.h"
#include "message/messagetext.h"
#include "message/mimeparser.h"
#include "message/transferencoding.h"
#include "protocols/imap/imapsearchkey.h"
#include "protocols/imap/imapsearchmatcher.h"
#include "protocols/imap/imapsort.h"
#include "protocols/imap/imapthread.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace
{
void check(bool condition)
{
    if (!condition)
        std::abort();
}

int checkTree(const promail::ImapSearchKey& key)
{
    using Kind = promail::ImapSearchKey::Kind;
    if (key.kind == Kind::Or)
        check(key.children.size() == 2);
    else if (key.kind == Kind::Not)
        check(key.children.size() == 1);
    else if (key.kind == Kind::And)
        check(!key.children.isEmpty());
    else
        check(key.children.isEmpty());
    if (key.kind == Kind::MessageNumbers || key.kind == Kind::Uid)
        check(!key.set.isEmpty());
    int depth = 0;
    for (const promail::ImapSearchKey& child : key.children)
        depth = std::max(depth, checkTree(child));
    return depth + 1;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 128 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const qsizetype split = input.indexOf('\0');
    const QByteArrayView command = split < 0 ? input : input.first(split);
    const QByteArrayView message = split < 0 ? QByteArrayView() : input.sliced(split + 1);

    promail::ImapParser parser(command);
    const promail::ImapSearchProgram program = promail::ImapSearchProgram::parse(parser);
    if (parser.ok())
    {
        // Parenthesised lists, NOT and OR each add a level; the top-level AND one more.
        check(checkTree(program.key) <= 2 * (promail::ImapSearchProgram::kMaxDepth + 2));
        check(program.returnOptions == 0 || program.extended);
        const QSet<qint64> saved{1, 3};
        promail::SnapshotMessage snapshot;
        snapshot.uid = 3;
        snapshot.path = u"/nonexistent/promail-fuzz"_s; // text keys see an unreadable file
        snapshot.size = message.size();
        snapshot.flags = {"\\Seen"};
        promail::ImapSearchMatcher matcher(program.key, promail::ImapSearchMatcher::Folder{5, 7, &saved});
        static_cast<void>(matcher.matches(snapshot, 2));
    }
    else
    {
        check(!parser.error().isEmpty());
    }

    promail::ImapParser sortParser(command);
    const QList<promail::ImapSort::Criterion> criteria = promail::ImapSort::parseCriteria(sortParser);
    check(!sortParser.ok() || !criteria.isEmpty());

    const promail::HeaderBlock header = promail::HeaderBlock::parse(message);
    static_cast<void>(promail::MessageText::header(header));
    const promail::SnapshotMessage snapshot;
    static_cast<void>(promail::ImapSort::Record::of(snapshot, 0, &header));
    // Three copies of the message, the later ones referring to the earlier, threaded both ways.
    QList<promail::ImapThread::Message> copies;
    for (int i = 0; i < 3; ++i)
    {
        promail::ImapThread::Message copy = promail::ImapThread::Message::of(snapshot, i, header);
        if (i > 0)
            copy.references.append(copies.first().messageId);
        copies.append(copy);
    }
    for (auto algorithm : {promail::ImapThread::Algorithm::OrderedSubject, promail::ImapThread::Algorithm::References})
    {
        const QByteArray threads =
            promail::ImapThread::threads(copies, algorithm, [](qsizetype index) { return qint64(index + 1); });
        check(threads.count('(') == threads.count(')') && threads.startsWith('('));
        for (char digit : {'1', '2', '3'})
            check(threads.count(digit) == 1);
    }
    const promail::BaseSubject base = promail::BaseSubject::extract(QString::fromUtf8(command));
    check(base.text.size() <= command.size() && !base.text.startsWith(u' ') && !base.text.endsWith(u' '));
    static_cast<void>(promail::MessageText::body(message, promail::MimeParser::parse(message)));
    check(promail::TransferEncoding::decodeQuotedPrintable(message).size() <= message.size());
    return 0;
}
