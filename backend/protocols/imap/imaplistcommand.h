#pragma once

#include "protocols/imap/imapparser.h"

#include <QByteArray>
#include <QList>

namespace promail
{

// The arguments of LIST, basic (RFC 9051 §6.3.9) or extended: selection and return options and
// several patterns (RFC 5258 §3), SPECIAL-USE (RFC 6154 §5.3), STATUS (RFC 5819 §2).
struct ImapListCommand
{
    QByteArray reference;
    QList<QByteArray> patterns; // at least one; "" asks for the hierarchy delimiter
    bool extended = false;      // selection options, return options or a pattern list were given
    bool selectSubscribed = false;
    bool selectSpecialUse = false;
    bool recursiveMatch = false;
    bool returnSubscribed = false; // also implied by selectSubscribed (RFC 5258 §3)
    bool returnSpecialUse = false;
    QList<QByteArray> statusItems; // RFC 5819: RETURN (STATUS (...)), upper case

    // Reads what follows "LIST " up to the end of the line; errors go to the parser (BAD).
    static ImapListCommand parse(ImapParser& parser);

    // RFC 9051 §6.3.9: "*" matches any characters, "%" any but the hierarchy separator "/"; INBOX
    // matches in any case (§5.1). True when reference + one of the patterns matches `name`.
    bool matches(QByteArrayView name) const;
    static bool wildcardMatch(QByteArrayView pattern, QByteArrayView name);
};

// "(" status-att *(SP status-att) ")" of STATUS and of LIST RETURN (STATUS ...), upper case:
// MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT (RFC 9051 §6.3.11), DELETED and SIZE (RFC 9051,
// RFC 8438), DELETED-STORAGE (RFC 9208 §4.3), APPENDLIMIT (RFC 7889 §4) and HIGHESTMODSEQ (RFC 7162 §3.1.10). Errors go
// to the parser.
QList<QByteArray> parseStatusItems(ImapParser& parser);

} // namespace promail
