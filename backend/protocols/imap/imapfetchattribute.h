#pragma once

#include "protocols/imap/imapparser.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace promail
{

// One data item of FETCH (RFC 3501 §6.4.5, RFC 9051 §6.4.5).
struct ImapFetchAttribute
{
    enum class Kind
    {
        Flags,
        InternalDate,
        Rfc822Size,
        Uid,
        Envelope,
        BodyStructure,
        Body,         // BODY without a section: BODYSTRUCTURE without extension data
        BodySection,  // BODY[...] and BODY.PEEK[...]
        Rfc822,       // BODY[] named RFC822 in the response
        Rfc822Header, // BODY.PEEK[HEADER] named RFC822.HEADER
        Rfc822Text,   // BODY[TEXT] named RFC822.TEXT
        Modseq,       // RFC 7162 §3.1.4.1
        Binary,       // BINARY[...] and BINARY.PEEK[...] (RFC 3516 §4.2): the part decoded
        BinarySize,   // BINARY.SIZE[...]: the size of the part decoded
    };
    // What follows the part numbers of a section (RFC 9051 §6.4.5 section-msgtext / "MIME").
    enum class Text
    {
        All, // BODY[] or BODY[1.2]
        Header,
        HeaderFields,
        HeaderFieldsNot,
        Text,
        Mime,
    };

    ImapFetchAttribute() = default;
    explicit ImapFetchAttribute(Kind itemKind) : kind(itemKind) {}

    Kind kind = Kind::Flags;
    bool peek = false;
    QList<int> part; // "1.2" as {1, 2}; empty for the whole message
    Text text = Text::All;
    QList<QByteArray> fields;  // HEADER.FIELDS (.NOT), upper case
    qint64 partialOffset = -1; // <offset.length>; -1: none
    qint64 partialLength = 0;

    // Sets \Seen when fetched from a read-write folder (RFC 9051 §6.4.5 BODY[]).
    bool setsSeen() const;
    // Needs the message file (not only the index row).
    bool needsContent() const;
    // How the item is named in the FETCH response, e.g. "BODY[HEADER.FIELDS (SUBJECT)]<0>".
    QByteArray responseName() const;
};

// The data items of a FETCH command: one item, a parenthesized list or a macro (ALL, FAST,
// FULL). Errors go to the parser's cursor; the result is empty then.
class ImapFetchRequest
{
public:
    static QList<ImapFetchAttribute> parse(ImapParser& parser);

private:
    static std::optional<ImapFetchAttribute> item(ImapParser& parser);
    static void section(ImapParser& parser, ImapFetchAttribute& attribute);
    static void binarySection(ImapParser& parser, ImapFetchAttribute& attribute);
    static void partial(ImapParser& parser, ImapFetchAttribute& attribute);
};

} // namespace promail
