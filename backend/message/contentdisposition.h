#pragma once

#include "message/mimeparameterlist.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace promail
{

// A Content-Disposition field value (RFC 2183 §2): "inline" / "attachment" / extension token,
// then parameters such as filename (with RFC 2231 continuations, RFC 2231 §3-§4).
struct ContentDisposition
{
    QByteArray type; // lower-case
    MimeParameterList parameters;

    // Nothing when there is no disposition token to report.
    static std::optional<ContentDisposition> parse(QByteArrayView value);
};

} // namespace promail
