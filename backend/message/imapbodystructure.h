#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

class MimeTree;

// FETCH BODYSTRUCTURE and BODY (RFC 9051 §7.5.2, RFC 3501 §7.4.2) of a parsed message.
// Media types, subtypes, parameter names, disposition types and encodings are written in upper
// case as in the RFC's examples; values as written. A text part without a charset is reported
// with CHARSET "US-ASCII" (RFC 2045 §5.2). RFC 2231 parameters appear joined but undecoded, as
// "NAME*" "utf-8''%E2%82%AC" (MimeParameter::wireValue).
class ImapBodyStructure
{
public:
    enum class Form
    {
        Body,          // no extension data
        BodyStructure, // with body-ext-1part / body-ext-mpart
    };

    // The structure of part `index` of the tree (0: the whole message); `message` is the bytes
    // the tree was parsed from.
    static QByteArray format(const MimeTree& tree, QByteArrayView message, Form form, int index = 0);
};

} // namespace promail
