#pragma once

#include "protocols/imap/imapparser.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace promail
{

// The argument of ID (RFC 2971 §3.3): NIL or a list of field/value pairs, within the limits of
// §3.3: at most 30 pairs, fields of at most 30 octets, values of at most 1024 octets, no field twice.
struct ImapIdCommand
{
    static constexpr qsizetype kMaxPairs = 30;
    static constexpr qsizetype kMaxField = 30;
    static constexpr qsizetype kMaxValue = 1024;

    struct Field
    {
        QByteArray name;
        std::optional<QByteArray> value; // nullopt: NIL
    };
    QList<Field> fields; // empty for NIL

    // Reads what follows "ID" up to the end of the line; errors go to the parser (BAD).
    static ImapIdCommand parse(ImapParser& parser);
};

} // namespace promail
