#pragma once

#include "message/mimeparameterlist.h"

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

// A Content-Type field value (RFC 2045 §5.1): type "/" subtype *(";" parameter).
struct ContentType
{
    QByteArray type;    // lower-case
    QByteArray subtype; // lower-case
    MimeParameterList parameters;
    bool valid = false; // type and subtype were both there as tokens

    // Always returns the parameters it could read; `valid` tells whether the media type was
    // usable (RFC 2045 §5.2: if not, the part is text/plain).
    static ContentType parse(QByteArrayView value);
    // RFC 2045 §5.2 default; RFC 2046 §5.1.5 makes it message/rfc822 inside multipart/digest.
    static ContentType defaultFor(bool inDigest);

    bool is(QByteArrayView t, QByteArrayView s) const { return type == t && subtype == s; }
    bool isMultipart() const { return type == "multipart"; }
    // RFC 2046 §5.2.1 message/rfc822 and RFC 6532 §3.7 message/global hold a whole message.
    bool isEmbeddedMessage() const { return type == "message" && (subtype == "rfc822" || subtype == "global"); }
};

} // namespace promail
