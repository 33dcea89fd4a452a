#pragma once

#include "message/contentdisposition.h"
#include "message/contenttype.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace promail
{

// One entity of a MIME message (RFC 2045 §2.4): the message itself, a body part of a multipart
// (RFC 2046 §5.1) or the message inside a message/rfc822 part (RFC 2046 §5.2.1). Offsets count
// from the first byte of the whole message.
struct MimePart
{
    enum class Kind
    {
        Leaf,
        Multipart, // children: the body parts, in order
        Message,   // message/rfc822 or message/global: one child, the embedded message
    };

    Kind kind = Kind::Leaf;
    qsizetype headerOffset = 0;
    qsizetype headerLength = 0; // the header fields and the empty line ending them, if any
    qsizetype bodyOffset = 0;
    qsizetype bodyLength = 0;
    qsizetype lines = 0; // LF count of the body, as Dovecot counts RFC 9051 body-fld-lines

    // What the part is read as: the Content-Type field, its RFC 2045 §5.2 default, or
    // text/plain (application/octet-stream for an encoded message) when `degraded`.
    ContentType contentType;
    bool degraded = false; // a multipart or message that could not be read as one (see MimeParser)

    QByteArray transferEncoding;                   // RFC 2045 §6.1 mechanism, lower-case; "7bit" when absent or broken
    std::optional<QByteArray> contentId;           // RFC 2045 §7, as written
    std::optional<QByteArray> description;         // RFC 2045 §8, as written (RFC 2047 words not decoded)
    std::optional<ContentDisposition> disposition; // RFC 2183
    QList<QByteArray> languages;                   // RFC 3282 Content-Language tags
    std::optional<QByteArray> location;            // RFC 2557 §4 Content-Location
    std::optional<QByteArray> md5;                 // RFC 1864 Content-MD5

    int parent = -1; // index in MimeTree::parts(), -1 for the message itself
    int depth = 0;   // 0 for the message; +1 per multipart or embedded message entered
    QList<int> children;

    qsizetype end() const { return bodyOffset + bodyLength; }
};

} // namespace promail
