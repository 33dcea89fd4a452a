#pragma once

#include "protocols/imap/imapparser.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>

namespace promail
{

// One node of an IMAP search program (RFC 9051 §6.4.4, §9 search-key). The keys with the same
// meaning are folded together: FROM/TO/CC/BCC/SUBJECT are Header keys, ANSWERED and UNANSWERED a
// Flag key with `present` true or false, NEW is (RECENT UNSEEN) and OLD is (NOT RECENT).
// Extensions add a Kind and a parse branch (CONDSTORE's MODSEQ, for instance).
struct ImapSearchKey
{
    enum class Kind
    {
        All,
        And,            // children, all must match (a parenthesised list or the top level)
        Or,             // two children
        Not,            // one child
        MessageNumbers, // a sequence set of message numbers
        Uid,
        Flag, // `flag` is present (or absent when !present)
        Recent,
        Larger,
        Smaller,
        Before,
        On,
        Since,
        SentBefore,
        SentOn,
        SentSince,
        Header, // `field` contains `text` ("" matches every message with the field)
        Body,
        Text,
    };

    ImapSearchKey() = default;
    explicit ImapSearchKey(Kind k) : kind(k) {}

    Kind kind = Kind::All;
    QList<ImapSearchKey> children;
    SequenceSet set;
    QByteArray flag;
    bool present = true;
    qint64 number = 0;
    QDate date;
    QByteArray field;
    QString text;

    // The message file is needed (header or body), or only the body.
    bool needsHeader() const;
    bool needsBody() const;
};

// SEARCH's arguments (RFC 9051 §6.4.4, RFC 4731 §3.1): [RETURN (options)] [CHARSET name] keys.
struct ImapSearchProgram
{
    static constexpr int kMaxDepth = 64; // nested parentheses, NOT and OR
    static constexpr int kMaxKeys = 1000;

    enum ReturnOption
    {
        ReturnMin = 1,
        ReturnMax = 2,
        ReturnAll = 4,
        ReturnCount = 8,
        ReturnSave = 16, // RFC 5182 §2
    };
    bool extended = false; // RETURN was given: answer with ESEARCH (RFC 4731)
    int returnOptions = 0;
    QByteArray charset; // upper case; empty when not given
    ImapSearchKey key;

    // Parses from the parser's position to the end of the command. Syntax errors go to the
    // parser; a charset other than UTF-8 or US-ASCII leaves `charset` set for the caller to refuse.
    static ImapSearchProgram parse(ImapParser& parser);
    // Parses the search keys only (for SORT and THREAD, RFC 5256 §3, which take them after the charset).
    static ImapSearchKey parseKeys(ImapParser& parser);
    static bool isSupportedCharset(const QByteArray& charset);
};

} // namespace promail
