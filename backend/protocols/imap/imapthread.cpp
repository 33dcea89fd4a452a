#include "protocols/imap/imapthread.h"

#include "message/basesubject.h"
#include "message/headerblock.h"
#include "message/messagetext.h"

#include <QHash>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

QByteArray asciiUpper(const QByteArray& bytes)
{
    QByteArray folded = bytes;
    for (char& c : folded)
    {
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    }
    return folded;
}

// The threads as a forest of containers (RFC 5256 §3 REFERENCES step 1); a container without a
// message is a dummy.
class Forest
{
public:
    explicit Forest(const QList<ImapThread::Message>& messages) : m_messages(messages) {}

    int add(int message = -1)
    {
        m_nodes.append(Node{message, -1, {}});
        return int(m_nodes.size() - 1);
    }
    bool isDummy(int node) const { return m_nodes[node].message < 0; }
    int parent(int node) const { return m_nodes[node].parent; }
    QList<int>& children(int node) { return m_nodes[node].children; }
    void setMessage(int node, int message) { m_nodes[node].message = message; }

    // `ancestor` is `node` or above it.
    bool isAncestor(int ancestor, int node) const
    {
        for (int n = node; n >= 0; n = m_nodes[n].parent)
        {
            if (n == ancestor)
                return true;
        }
        return false;
    }
    void detach(int node)
    {
        if (const int p = m_nodes[node].parent; p >= 0)
            m_nodes[p].children.removeOne(node);
        m_nodes[node].parent = -1;
    }
    void attach(int node, int parent)
    {
        detach(node);
        m_nodes[node].parent = parent;
        m_nodes[parent].children.append(node);
    }
    QList<int> roots() const
    {
        QList<int> found;
        for (int i = 0; i < m_nodes.size(); ++i)
        {
            if (m_nodes[i].parent < 0)
                found.append(i);
        }
        return found;
    }

    // Step 4: dummies without children go; other dummies give their children to their parent's
    // level, at the root only when they have one child.
    QList<int> prune(const QList<int>& level, int parent)
    {
        QList<int> kept;
        for (int node : level)
        {
            m_nodes[node].children = prune(m_nodes[node].children, node);
            if (!isDummy(node))
                kept.append(node);
            else if (!m_nodes[node].children.isEmpty() && parent < 0 && m_nodes[node].children.size() > 1)
                kept.append(node);
            else
            {
                for (int child : std::as_const(m_nodes[node].children))
                {
                    m_nodes[child].parent = parent;
                    kept.append(child);
                }
                m_nodes[node].children.clear();
            }
        }
        return kept;
    }

    // The message that speaks for a container: its own, or its first child's for a dummy. Only
    // called after pruning, when every dummy has children.
    const ImapThread::Message& representative(int node) const
    {
        while (isDummy(node))
        {
            Q_ASSERT(!m_nodes[node].children.isEmpty());
            node = m_nodes[node].children.first();
        }
        return m_messages[m_nodes[node].message];
    }

    // Step 6: siblings by sent date (a dummy by its first child's), ties by sequence number.
    void sortLevel(QList<int>& level)
    {
        for (int node : level)
            sortLevel(m_nodes[node].children);
        std::stable_sort(level.begin(), level.end(),
                         [this](int a, int b)
                         {
                             const ImapThread::Message& x = representative(a);
                             const ImapThread::Message& y = representative(b);
                             return std::pair(x.sent, x.index) < std::pair(y.sent, y.index);
                         });
    }

    // RFC 5256 §4 thread-list: a chain of single children as members, two or more as nested lists.
    QByteArray format(int node, const std::function<qint64(qsizetype)>& number) const
    {
        QByteArray text;
        for (int n = node;;)
        {
            if (!isDummy(n))
            {
                if (!text.isEmpty())
                    text += ' ';
                text += QByteArray::number(number(m_messages[m_nodes[n].message].index));
            }
            const QList<int>& kids = m_nodes[n].children;
            if (kids.size() == 1)
            {
                n = kids.first();
                continue;
            }
            if (kids.size() > 1)
            {
                if (!text.isEmpty())
                    text += ' ';
                for (int child : kids)
                    text += '(' + format(child, number) + ')';
            }
            break;
        }
        return text;
    }

private:
    struct Node
    {
        int message; // index into m_messages, -1 for a dummy
        int parent;
        QList<int> children;
    };
    const QList<ImapThread::Message>& m_messages;
    QList<Node> m_nodes;
};

QList<int> orderedSubject(Forest& forest, const QList<ImapThread::Message>& messages)
{
    // RFC 5256 §3 ORDEREDSUBJECT: by base subject then sent date; each run of one subject is a
    // thread whose first message is the parent of the others.
    QList<int> order;
    for (int i = 0; i < messages.size(); ++i)
        order.append(i);
    std::stable_sort(order.begin(), order.end(),
                     [&messages](int a, int b)
                     {
                         const auto& x = messages[a];
                         const auto& y = messages[b];
                         return std::tuple(x.subject, x.sent, x.index) < std::tuple(y.subject, y.sent, y.index);
                     });
    QList<int> roots;
    int root = -1;
    for (int i : order)
    {
        const int node = forest.add(i);
        if (root >= 0 && messages[i].subject == forest.representative(root).subject)
            forest.attach(node, root);
        else
        {
            root = node;
            roots.append(node);
        }
    }
    // Threads by the sent date of their first message.
    std::stable_sort(roots.begin(), roots.end(),
                     [&forest](int a, int b)
                     {
                         const auto& x = forest.representative(a);
                         const auto& y = forest.representative(b);
                         return std::pair(x.sent, x.index) < std::pair(y.sent, y.index);
                     });
    return roots;
}

QList<int> references(Forest& forest, const QList<ImapThread::Message>& messages)
{
    // Step 1: containers linked by Message-ID and References.
    QHash<QByteArray, int> byId;
    const auto container = [&forest, &byId](const QByteArray& id)
    {
        auto found = byId.constFind(id);
        if (found != byId.cend())
            return *found;
        const int node = forest.add();
        byId.insert(id, node);
        return node;
    };
    for (int i = 0; i < messages.size(); ++i)
    {
        const ImapThread::Message& message = messages[i];
        int self = -1;
        const auto known = byId.constFind(message.messageId);
        if (!message.messageId.isEmpty() && known != byId.cend() && forest.isDummy(*known))
        {
            self = *known;
            forest.setMessage(self, i);
        }
        else
        {
            // 1A: no Message-ID, or a duplicate one: a container of its own.
            self = forest.add(i);
            if (!message.messageId.isEmpty() && known == byId.cend())
                byId.insert(message.messageId, self);
        }
        // 1B: each reference the parent of the next, unless already linked or looping.
        int previous = -1;
        for (const QByteArray& id : message.references)
        {
            const int node = container(id);
            if (previous >= 0 && node != previous && forest.parent(node) < 0 && !forest.isAncestor(node, previous))
                forest.attach(node, previous);
            previous = node;
        }
        // 1C: the last reference is the parent, unless that makes a loop.
        if (previous < 0)
            forest.detach(self);
        else if (!forest.isAncestor(self, previous))
            forest.attach(self, previous);
    }
    // Steps 2-4: the root set, pruned.
    QList<int> roots = forest.prune(forest.roots(), -1);

    // Step 5: roots with the same base subject gathered.
    QHash<QByteArray, int> bySubject;
    const auto replyOrForward = [&forest](int node)
    {
        return forest.representative(node).replyOrForward;
    };
    for (int root : std::as_const(roots))
    {
        const QByteArray& subject = forest.representative(root).subject;
        if (subject.isEmpty())
            continue;
        const int existing = bySubject.value(subject, -1);
        if (existing < 0 || (!forest.isDummy(existing) && forest.isDummy(root)) ||
            (!forest.isDummy(existing) && !forest.isDummy(root) && replyOrForward(existing) && !replyOrForward(root)))
            bySubject.insert(subject, root);
    }
    const QList<int> before = roots;
    for (int root : before)
    {
        if (!roots.contains(root))
            continue; // merged into another meanwhile
        const QByteArray& subject = forest.representative(root).subject;
        if (subject.isEmpty())
            continue;
        const int other = bySubject.value(subject);
        if (other == root)
            continue;
        if (forest.isDummy(root) && forest.isDummy(other))
        {
            // (i) both dummies: one takes the other's children.
            for (int child : QList<int>(forest.children(root)))
                forest.attach(child, other);
            roots.removeOne(root);
        }
        else if (forest.isDummy(other))
        {
            // (ii) the real one becomes a sibling of the dummy's children.
            forest.attach(root, other);
            roots.removeOne(root);
        }
        else if (forest.isDummy(root))
        {
            forest.attach(other, root);
            roots.removeOne(other);
            bySubject.insert(subject, root);
        }
        else if (!replyOrForward(other) && replyOrForward(root))
        {
            // (iii) a reply under the original.
            forest.attach(root, other);
            roots.removeOne(root);
        }
        else if (replyOrForward(other) && !replyOrForward(root))
        {
            // (iv) misordered: the original above the reply.
            forest.attach(other, root);
            roots.removeOne(other);
            bySubject.insert(subject, root);
        }
        else
        {
            // (v) both or neither replies: siblings under a new dummy.
            const int dummy = forest.add();
            roots[roots.indexOf(other)] = dummy;
            forest.attach(other, dummy);
            forest.attach(root, dummy);
            roots.removeOne(root);
            bySubject.insert(subject, dummy);
        }
    }
    return roots;
}

} // namespace

ImapThread::Message ImapThread::Message::of(const SnapshotMessage& snapshot, qsizetype index, const HeaderBlock& header)
{
    Message message;
    message.index = index;
    message.sent = snapshot.internalDate;
    if (const auto sent = MessageText::dateField(header.value("Date")))
        message.sent = sent->toSecsSinceEpoch();
    const BaseSubject base = BaseSubject::extract(MessageText::headerValue(header.value("Subject")));
    message.subject = asciiUpper(base.text.toUtf8());
    message.replyOrForward = base.replyOrForward;
    const QList<QByteArray> ids = messageIds(header.value("Message-ID"));
    if (!ids.isEmpty())
        message.messageId = ids.first();
    message.references = messageIds(header.value("References"));
    if (message.references.isEmpty())
    {
        // RFC 5256 §3 REFERENCES step 1: without References, the first In-Reply-To message ID.
        const QList<QByteArray> inReplyTo = messageIds(header.value("In-Reply-To"));
        if (!inReplyTo.isEmpty())
            message.references = {inReplyTo.first()};
    }
    return message;
}

std::optional<ImapThread::Algorithm> ImapThread::algorithm(const QByteArray& name)
{
    const QByteArray upper = name.toUpper();
    if (upper == "ORDEREDSUBJECT")
        return Algorithm::OrderedSubject;
    if (upper == "REFERENCES")
        return Algorithm::References;
    return std::nullopt;
}

QList<QByteArray> ImapThread::messageIds(QByteArrayView value)
{
    QList<QByteArray> ids;
    qsizetype pos = 0;
    while (true)
    {
        const qsizetype open = value.indexOf('<', pos);
        if (open < 0)
            break;
        const qsizetype close = value.indexOf('>', open + 1);
        if (close < 0)
            break;
        QByteArray id;
        for (char c : value.sliced(open + 1, close - open - 1))
        {
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                id += c;
        }
        if (!id.isEmpty() && ids.size() < 1000)
            ids.append(id);
        pos = close + 1;
    }
    return ids;
}

QByteArray ImapThread::threads(const QList<Message>& messages, Algorithm algorithm,
                               const std::function<qint64(qsizetype)>& number)
{
    Forest forest(messages);
    QList<int> roots =
        algorithm == Algorithm::OrderedSubject ? orderedSubject(forest, messages) : references(forest, messages);
    forest.sortLevel(roots);
    QByteArray text;
    for (int root : std::as_const(roots))
        text += '(' + forest.format(root, number) + ')';
    return text;
}

} // namespace promail
