// libFuzzer target for the MIME layer of message/: arbitrary bytes as a message must parse into a
// tree whose offsets describe the input exactly and stay within the limits, and must give
// ENVELOPE, BODYSTRUCTURE and BODY strings that are well-formed IMAP (RFC 9051 §9).
#include "message/headerblock.h"
#include "message/imapbodystructure.h"
#include "message/imapenvelope.h"
#include "message/mimeparser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace
{

void check(bool condition)
{
    if (!condition)
        std::abort();
}

// One parenthesized list of NIL, numbers, quoted strings (7-bit, no CR/LF), literals without
// NUL, and nested lists, with nothing after it.
void checkImapList(QByteArrayView text)
{
    qsizetype i = 0;
    int depth = 0;
    check(!text.isEmpty() && text.front() == '(');
    while (i < text.size())
    {
        check(depth > 0 || i == 0);
        const char c = text[i];
        if (c == '(' || c == ')')
        {
            depth += c == '(' ? 1 : -1;
            check(depth >= 0);
            ++i;
        }
        else if (c == ' ')
        {
            ++i;
        }
        else if (c == '"')
        {
            for (++i; i < text.size() && text[i] != '"'; ++i)
            {
                if (text[i] == '\\')
                    ++i;
                check(i < text.size() && text[i] != '\r' && text[i] != '\n' && text[i] != '\0' &&
                      static_cast<unsigned char>(text[i]) < 0x80);
            }
            check(i < text.size());
            ++i;
        }
        else if (c == '{')
        {
            const qsizetype close = text.indexOf('}', i);
            check(close > i + 1);
            bool ok = false;
            const qsizetype length = text.sliced(i + 1, close - i - 1).toLongLong(&ok);
            check(ok && length >= 0 && close + 3 + length <= text.size());
            check(text[close + 1] == '\r' && text[close + 2] == '\n');
            check(!text.sliced(close + 3, length).contains('\0'));
            i = close + 3 + length;
        }
        else
        {
            qsizetype end = i;
            while (end < text.size() && text[end] != ' ' && text[end] != '(' && text[end] != ')')
                ++end;
            const QByteArrayView atom = text.sliced(i, end - i);
            bool number = false;
            static_cast<void>(atom.toLongLong(&number));
            check(atom == "NIL" || number);
            i = end;
        }
    }
    check(depth == 0);
}

void checkTree(QByteArrayView input, const promail::MimeTree& tree)
{
    using promail::MimePart;
    check(!tree.parts().isEmpty() && tree.parts().size() <= promail::MimeParser::kMaxParts);
    check(tree.root().headerOffset == 0 && tree.root().end() == input.size());
    for (qsizetype index = 0; index < tree.parts().size(); ++index)
    {
        const MimePart& part = tree.parts()[index];
        check(part.headerOffset >= 0 && part.headerLength >= 0 && part.bodyLength >= 0);
        check(part.headerOffset + part.headerLength == part.bodyOffset && part.end() <= input.size());
        check(part.lines == input.sliced(part.bodyOffset, part.bodyLength).count('\n'));
        check(part.depth <= promail::MimeParser::kMaxDepth);
        check(part.kind != MimePart::Kind::Leaf || part.children.isEmpty());
        check(part.kind != MimePart::Kind::Message || part.children.size() == 1);
        check(part.kind != MimePart::Kind::Multipart || !part.children.isEmpty());
        check(part.kind == MimePart::Kind::Multipart || !part.contentType.isMultipart());
        check(part.kind == MimePart::Kind::Message || !part.contentType.isEmbeddedMessage());
        qsizetype previousEnd = part.bodyOffset;
        for (const int child : part.children)
        {
            check(child > index && child < tree.parts().size());
            const MimePart& c = tree.parts()[child];
            check(c.parent == index && c.depth == part.depth + 1);
            check(c.headerOffset >= previousEnd && c.end() <= part.end());
            previousEnd = c.end();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    const promail::MimeTree tree = promail::MimeParser::parse(input);
    checkTree(input, tree);

    checkImapList(promail::ImapEnvelope::format(promail::HeaderBlock::parse(input)));
    const QByteArray structure =
        promail::ImapBodyStructure::format(tree, input, promail::ImapBodyStructure::Form::BodyStructure);
    const QByteArray body = promail::ImapBodyStructure::format(tree, input, promail::ImapBodyStructure::Form::Body);
    checkImapList(structure);
    checkImapList(body);
    check(body.size() <= structure.size());

    // Every part number the tree has resolves, and nothing past it does.
    if (tree.root().kind == promail::MimePart::Kind::Multipart)
    {
        const int count = static_cast<int>(tree.root().children.size());
        check(tree.partForSection({count}) == tree.root().children.last());
        check(tree.partForSection({count + 1}) == -1);
    }
    else
    {
        check(tree.partForSection({1}) == 0);
    }
    return 0;
}
