#pragma once

#include <QByteArray>

namespace promail
{

class HeaderBlock;

// The FETCH ENVELOPE structure (RFC 9051 §7.5.2, RFC 3501 §7.4.2) of a message header: date,
// subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id. Values are the raw
// header fields (unfolded, RFC 2047 words not decoded), as IMAP requires; the first field of
// each name counts.
class ImapEnvelope
{
public:
    static QByteArray format(const HeaderBlock& header);
};

} // namespace promail
