#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace promail
{

// How ENVELOPE and BODYSTRUCTURE write a string (RFC 9051 §4.3): a quoted string when every byte
// may stand between quotes, otherwise a literal "{n}\r\n" followed by the bytes.
class ImapString
{
public:
    enum class Form
    {
        Quoted,
        Literal,
    };

    // Long values go as literals so a client reading quoted strings line by line never meets a
    // huge one; nothing in the RFC requires the limit.
    static constexpr qsizetype kMaxQuotedLength = 1024;

    // RFC 9051 §9 QUOTED-CHAR is 7-bit TEXT-CHAR (no CR, LF or NUL); 8-bit bytes go as literals
    // so IMAP4rev1 clients (RFC 3501 §4.3) read them too.
    static Form formFor(QByteArrayView text);

    // `text` as an IMAP string in the form formFor() picks. NUL bytes are left out: no IMAP
    // string can carry them (RFC 9051 §9 CHAR8 starts at %x01).
    static QByteArray string(QByteArrayView text);

    // nstring: NIL when there is no value at all, else string().
    static QByteArray nstring(const std::optional<QByteArray>& text);
};

} // namespace promail
