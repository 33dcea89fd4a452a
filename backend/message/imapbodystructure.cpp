#include "message/imapbodystructure.h"

#include "message/headerblock.h"
#include "message/imapenvelope.h"
#include "message/imapstring.h"
#include "message/mimetree.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

// body-fld-param (RFC 9051 §9): NIL or ("NAME" "value" ...).
QByteArray parameterList(const MimeParameterList& parameters, bool defaultCharset)
{
    QByteArray out;
    // RFC 2045 §5.2: text without a charset is US-ASCII; clients are told so explicitly.
    if (defaultCharset)
        out += "\"CHARSET\" \"US-ASCII\""_ba;
    for (const MimeParameter& parameter : parameters.parameters())
    {
        if (!out.isEmpty())
            out += ' ';
        // RFC 2231 §4: the '*' tells the client the value carries charset'language' and %XX.
        const QByteArray name = parameter.name.toUpper() + (parameter.extended ? "*"_ba : QByteArray());
        out += ImapString::string(name);
        out += ' ' + ImapString::string(parameter.wireValue);
    }
    return out.isEmpty() ? "NIL"_ba : '(' + out + ')';
}

// body-fld-dsp: NIL or ("ATTACHMENT" body-fld-param).
QByteArray disposition(const MimePart& part)
{
    if (!part.disposition)
        return "NIL"_ba;
    return '(' + ImapString::string(part.disposition->type.toUpper()) + ' ' +
           parameterList(part.disposition->parameters, false) + ')';
}

// body-fld-lang: NIL, one string, or a list of them.
QByteArray languages(const MimePart& part)
{
    if (part.languages.isEmpty())
        return "NIL"_ba;
    if (part.languages.size() == 1)
        return ImapString::string(part.languages.first());
    QByteArray out = "("_ba;
    for (const QByteArray& tag : part.languages)
    {
        if (out.size() > 1)
            out += ' ';
        out += ImapString::string(tag);
    }
    return out + ')';
}

class Writer
{
public:
    Writer(const MimeTree& tree, QByteArrayView message, bool extended)
        : m_tree(tree), m_message(message), m_extended(extended)
    {
    }

    void write(int index)
    {
        const MimePart& part = m_tree.part(index);
        if (part.kind == MimePart::Kind::Multipart)
            writeMultipart(part);
        else
            writeSinglePart(part);
    }

    QByteArray out;

private:
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    void writeMultipart(const MimePart& part)
    {
        out += '(';
        for (const int child : part.children)
            write(child);
        out += ' ' + ImapString::string(part.contentType.subtype.toUpper());
        if (m_extended)
        {
            out += ' ' + parameterList(part.contentType.parameters, false);
            out += ' ' + disposition(part) + ' ' + languages(part) + ' ' + ImapString::nstring(part.location);
        }
        out += ')';
    }

    // body-type-basic / body-type-msg / body-type-text, then body-ext-1part.
    void writeSinglePart(const MimePart& part)
    {
        const ContentType& type = part.contentType;
        const bool text = type.type == "text";
        out += '(' + ImapString::string(type.type.toUpper()) + ' ' + ImapString::string(type.subtype.toUpper());
        out += ' ' + parameterList(type.parameters, text && !type.parameters.contains("charset"));
        out += ' ' + ImapString::nstring(part.contentId);
        out += ' ' + ImapString::nstring(part.description);
        out += ' ' + ImapString::string(part.transferEncoding.toUpper());
        out += ' ' + QByteArray::number(part.bodyLength);
        if (part.kind == MimePart::Kind::Message)
        {
            const MimePart& embedded = m_tree.part(part.children.first());
            const HeaderBlock header =
                HeaderBlock::parse(m_message.sliced(embedded.headerOffset, embedded.headerLength));
            out += ' ' + ImapEnvelope::format(header) + ' ';
            write(part.children.first());
            out += ' ' + QByteArray::number(part.lines);
        }
        else if (text)
        {
            out += ' ' + QByteArray::number(part.lines);
        }
        if (m_extended)
        {
            out += ' ' + ImapString::nstring(part.md5);
            out += ' ' + disposition(part) + ' ' + languages(part) + ' ' + ImapString::nstring(part.location);
        }
        out += ')';
    }

    const MimeTree& m_tree;
    QByteArrayView m_message;
    bool m_extended;
};

} // namespace

QByteArray ImapBodyStructure::format(const MimeTree& tree, QByteArrayView message, Form form, int index)
{
    Writer writer(tree, message, form == Form::BodyStructure);
    writer.write(index);
    return std::move(writer.out);
}

} // namespace promail
