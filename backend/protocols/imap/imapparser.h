#pragma once

#include "protocols/abnf/cursor.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace promail
{

// One range of a sequence set (RFC 9051 §9 seq-range); "*" is kStar. The saved search result
// "$" (RFC 5182 §4 seq-last-command) is a set of one range kSaved:kSaved, as 0 is no message.
struct SequenceRange
{
    static constexpr quint32 kStar = 0xffffffff;
    static constexpr quint32 kSaved = 0;
    quint32 first = 0;
    quint32 last = 0;
};

using SequenceSet = QList<SequenceRange>;

// The tokens of an IMAP command (RFC 9051 §9 formal syntax) on top of the shared Cursor: the
// command reader has already put each literal inline after its "{n}\r\n", so literals are read
// here by their announced size. Errors go to the cursor; the first one wins.
class ImapParser
{
public:
    explicit ImapParser(QByteArrayView command) : m_cursor(command) {}

    Cursor& cursor() { return m_cursor; }
    bool ok() const { return m_cursor.ok(); }
    QString error() const { return m_cursor.error(); }

    QByteArray tag();                    // tag = 1*<any ASTRING-CHAR except "+">
    QByteArray atom();                   // 1*ATOM-CHAR
    QByteArray astring();                // atom / string (quoted or literal)
    QByteArray string();                 // quoted / literal
    std::optional<QByteArray> nstring(); // string / NIL
    QByteArray literal();                // "{" number ["+"] "}" CRLF *CHAR8
    // Only "{" number ["+"] "}" CRLF: for a literal whose octets the reader spilled to a file.
    qint64 literalHeader();
    QByteArray quoted();
    quint32 number();             // nz-number or 0, up to 2^32-1
    qint64 modseq();              // RFC 7162 §7 mod-sequence-valzer: 0 up to 999999999999999999 (18 digits)
    SequenceSet sequenceSet();    // a sequence set or "$" (RFC 5182)
    QList<QByteArray> flagList(); // "(" [flag *(SP flag)] ")"
    QByteArray mailboxName();     // astring; "INBOX" in any case becomes "INBOX"
    void space() { m_cursor.require(" "); }
    void end() { m_cursor.end(); }
    bool present(QByteArrayView text) { return m_cursor.present(text); }

private:
    Cursor m_cursor;
};

} // namespace promail
