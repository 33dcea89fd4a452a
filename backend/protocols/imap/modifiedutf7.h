#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace promail
{

// Mailbox names on the wire of IMAP4rev1 (RFC 3501 §5.1.3): printable US-ASCII stands for
// itself, "&" is written "&-", and every other character goes as UTF-16 in a modified base64
// ("," for "/", no padding) between "&" and "-". Inside ProMail mailbox names are UTF-8.
class ModifiedUtf7
{
public:
    // The wire form of a UTF-8 name; invalid UTF-8 sequences become U+FFFD.
    static QByteArray encode(QByteArrayView utf8);

    // The UTF-8 name, or nothing when `wire` is not modified UTF-7 in its one canonical form:
    // bytes outside printable US-ASCII, an "&" run that is unterminated, holds a character
    // outside the base64 alphabet, leaves non-zero or whole-character padding bits, encodes a
    // printable US-ASCII character, holds a lone surrogate, or directly follows another run.
    static std::optional<QByteArray> decode(QByteArrayView wire);
};

} // namespace promail
