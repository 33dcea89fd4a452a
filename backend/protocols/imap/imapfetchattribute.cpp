#include "protocols/imap/imapfetchattribute.h"

using namespace Qt::StringLiterals;

namespace promail
{

bool ImapFetchAttribute::setsSeen() const
{
    return ((kind == Kind::BodySection || kind == Kind::Binary) && !peek) || kind == Kind::Rfc822 ||
           kind == Kind::Rfc822Text;
}

bool ImapFetchAttribute::needsContent() const
{
    return kind != Kind::Flags && kind != Kind::InternalDate && kind != Kind::Rfc822Size && kind != Kind::Uid &&
           kind != Kind::Modseq;
}

QByteArray ImapFetchAttribute::responseName() const
{
    switch (kind)
    {
    case Kind::Flags:
        return "FLAGS"_ba;
    case Kind::InternalDate:
        return "INTERNALDATE"_ba;
    case Kind::Rfc822Size:
        return "RFC822.SIZE"_ba;
    case Kind::Uid:
        return "UID"_ba;
    case Kind::Envelope:
        return "ENVELOPE"_ba;
    case Kind::BodyStructure:
        return "BODYSTRUCTURE"_ba;
    case Kind::Body:
        return "BODY"_ba;
    case Kind::Rfc822:
        return "RFC822"_ba;
    case Kind::Rfc822Header:
        return "RFC822.HEADER"_ba;
    case Kind::Rfc822Text:
        return "RFC822.TEXT"_ba;
    case Kind::Modseq:
        return "MODSEQ"_ba;
    case Kind::Binary:
    case Kind::BinarySize:
    {
        // RFC 3516 §4.2: "BINARY[1.2]<0>" and "BINARY.SIZE[1.2]".
        QByteArrayList numbers;
        for (int number : part)
            numbers.append(QByteArray::number(number));
        QByteArray name = (kind == Kind::Binary ? "BINARY["_ba : "BINARY.SIZE["_ba) + numbers.join('.') + ']';
        if (partialOffset >= 0)
            name += '<' + QByteArray::number(partialOffset) + '>';
        return name;
    }
    case Kind::BodySection:
        break;
    }
    // RFC 9051 §7.5.2: the response names the section without .PEEK, and a partial fetch by its
    // origin octet only.
    QByteArray name = "BODY["_ba;
    QByteArrayList numbers;
    for (int number : part)
        numbers.append(QByteArray::number(number));
    name += numbers.join('.');
    if (text != Text::All && !part.isEmpty())
        name += '.';
    switch (text)
    {
    case Text::All:
        break;
    case Text::Header:
        name += "HEADER";
        break;
    case Text::HeaderFields:
    case Text::HeaderFieldsNot:
        name += text == Text::HeaderFields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (";
        name += QByteArrayList(fields).join(' ') + ')';
        break;
    case Text::Text:
        name += "TEXT";
        break;
    case Text::Mime:
        name += "MIME";
        break;
    }
    name += ']';
    if (partialOffset >= 0)
        name += '<' + QByteArray::number(partialOffset) + '>';
    return name;
}

QList<ImapFetchAttribute> ImapFetchRequest::parse(ImapParser& parser)
{
    using Kind = ImapFetchAttribute::Kind;
    const auto items = [](std::initializer_list<Kind> kinds)
    {
        QList<ImapFetchAttribute> result;
        for (Kind kind : kinds)
            result.append(ImapFetchAttribute{kind});
        return result;
    };
    // RFC 9051 §6.4.5: the macros, which may not be combined with other items.
    if (parser.present("ALL"))
        return items({Kind::Flags, Kind::InternalDate, Kind::Rfc822Size, Kind::Envelope});
    if (parser.present("FAST"))
        return items({Kind::Flags, Kind::InternalDate, Kind::Rfc822Size});
    if (parser.present("FULL"))
        return items({Kind::Flags, Kind::InternalDate, Kind::Rfc822Size, Kind::Envelope, Kind::Body});
    QList<ImapFetchAttribute> result;
    if (!parser.present("("))
    {
        if (auto one = item(parser))
            result.append(*one);
        return parser.ok() ? result : QList<ImapFetchAttribute>();
    }
    do
    {
        if (auto one = item(parser))
            result.append(*one);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    return parser.ok() ? result : QList<ImapFetchAttribute>();
}

std::optional<ImapFetchAttribute> ImapFetchRequest::item(ImapParser& parser)
{
    using Kind = ImapFetchAttribute::Kind;
    ImapFetchAttribute attribute;
    // Longer names first where one is a prefix of another.
    if (parser.present("FLAGS"))
        attribute.kind = Kind::Flags;
    else if (parser.present("INTERNALDATE"))
        attribute.kind = Kind::InternalDate;
    else if (parser.present("RFC822.SIZE"))
        attribute.kind = Kind::Rfc822Size;
    else if (parser.present("RFC822.HEADER"))
        attribute.kind = Kind::Rfc822Header;
    else if (parser.present("RFC822.TEXT"))
        attribute.kind = Kind::Rfc822Text;
    else if (parser.present("RFC822"))
        attribute.kind = Kind::Rfc822;
    else if (parser.present("UID"))
        attribute.kind = Kind::Uid;
    else if (parser.present("MODSEQ"))
        attribute.kind = Kind::Modseq;
    else if (parser.present("ENVELOPE"))
        attribute.kind = Kind::Envelope;
    else if (parser.present("BODYSTRUCTURE"))
        attribute.kind = Kind::BodyStructure;
    else if (parser.present("BINARY.PEEK"))
    {
        attribute.kind = Kind::Binary;
        attribute.peek = true;
        binarySection(parser, attribute);
        partial(parser, attribute);
    }
    else if (parser.present("BINARY.SIZE"))
    {
        attribute.kind = Kind::BinarySize;
        binarySection(parser, attribute);
    }
    else if (parser.present("BINARY"))
    {
        attribute.kind = Kind::Binary;
        binarySection(parser, attribute);
        partial(parser, attribute);
    }
    else if (parser.present("BODY.PEEK"))
    {
        attribute.kind = Kind::BodySection;
        attribute.peek = true;
        parser.cursor().require("[");
        section(parser, attribute);
    }
    else if (parser.present("BODY"))
    {
        attribute.kind = Kind::Body;
        if (parser.present("["))
        {
            attribute.kind = Kind::BodySection;
            section(parser, attribute);
        }
    }
    else
    {
        parser.cursor().fail(u"unknown FETCH data item"_s);
        return std::nullopt;
    }
    if (!parser.ok())
        return std::nullopt;
    return attribute;
}

void ImapFetchRequest::section(ImapParser& parser, ImapFetchAttribute& attribute)
{
    using Text = ImapFetchAttribute::Text;
    Cursor& cursor = parser.cursor();
    // section-part: nz-number *("." nz-number), then optionally "." and a section-text.
    bool dot = false;
    while (cursor.ok() && cursor.next() >= '1' && cursor.next() <= '9')
    {
        const quint32 number = parser.number();
        if (number == 0 || number > 1000000)
            cursor.fail(u"invalid section part"_s);
        attribute.part.append(int(number));
        dot = cursor.present(".");
        if (!dot)
            break;
    }
    const bool afterPart = !attribute.part.isEmpty();
    if (!afterPart || dot)
    {
        if (cursor.present("HEADER.FIELDS.NOT"))
            attribute.text = Text::HeaderFieldsNot;
        else if (cursor.present("HEADER.FIELDS"))
            attribute.text = Text::HeaderFields;
        else if (cursor.present("HEADER"))
            attribute.text = Text::Header;
        else if (cursor.present("TEXT"))
            attribute.text = Text::Text;
        else if (afterPart && cursor.present("MIME"))
            attribute.text = Text::Mime;
        else if (dot)
            cursor.fail(u"expected HEADER, HEADER.FIELDS, TEXT or MIME after the part number"_s);
    }
    if (attribute.text == Text::HeaderFields || attribute.text == Text::HeaderFieldsNot)
    {
        parser.space();
        cursor.require("(");
        do
        {
            const QByteArray field = parser.astring();
            if (cursor.ok())
                attribute.fields.append(field.toUpper());
        } while (cursor.ok() && cursor.present(" "));
        cursor.require(")");
    }
    cursor.require("]");
    partial(parser, attribute);
}

void ImapFetchRequest::binarySection(ImapParser& parser, ImapFetchAttribute& attribute)
{
    // RFC 3516 §4.2 section-binary: "[" [section-part] "]", part numbers only.
    Cursor& cursor = parser.cursor();
    cursor.require("[");
    if (cursor.ok() && cursor.next() != ']')
    {
        do
        {
            const quint32 number = parser.number();
            if (cursor.ok() && (number == 0 || number > 1000000))
                cursor.fail(u"invalid section part"_s);
            attribute.part.append(int(number));
        } while (cursor.ok() && cursor.present("."));
    }
    cursor.require("]");
}

void ImapFetchRequest::partial(ImapParser& parser, ImapFetchAttribute& attribute)
{
    Cursor& cursor = parser.cursor();
    if (cursor.ok() && cursor.present("<"))
    {
        attribute.partialOffset = parser.number();
        cursor.require(".");
        attribute.partialLength = parser.number();
        if (cursor.ok() && attribute.partialLength == 0)
            cursor.fail(u"a partial length must not be 0"_s);
        cursor.require(">");
    }
}

} // namespace promail
