#include "message/basesubject.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

bool isWsp(QChar c)
{
    return c == u' ' || c == u'\t';
}

// subj-blob = "[" *BLOBCHAR "]" *WSP; the length at `pos`, or 0.
qsizetype blobLength(const QString& s, qsizetype pos)
{
    if (pos >= s.size() || s[pos] != u'[')
        return 0;
    qsizetype i = pos + 1;
    while (i < s.size() && s[i] != u'[' && s[i] != u']')
        ++i;
    if (i >= s.size() || s[i] != u']')
        return 0;
    ++i;
    while (i < s.size() && isWsp(s[i]))
        ++i;
    return i - pos;
}

// subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"; the length at `pos`, or 0.
qsizetype refwdLength(const QString& s, qsizetype pos)
{
    qsizetype i = pos;
    const auto startsWith = [&s](qsizetype at, QStringView word)
    {
        return s.sliced(at).startsWith(word, Qt::CaseInsensitive);
    };
    if (startsWith(i, u"re"))
        i += 2;
    else if (startsWith(i, u"fwd"))
        i += 3;
    else if (startsWith(i, u"fw"))
        i += 2;
    else
        return 0;
    while (i < s.size() && isWsp(s[i]))
        ++i;
    i += blobLength(s, i);
    if (i >= s.size() || s[i] != u':')
        return 0;
    return i + 1 - pos;
}

// subj-leader = (*subj-blob subj-refwd) / WSP; the length at the start, or 0.
qsizetype leaderLength(const QString& s)
{
    if (!s.isEmpty() && isWsp(s[0]))
        return 1;
    qsizetype i = 0;
    while (const qsizetype blob = blobLength(s, i))
        i += blob;
    const qsizetype refwd = refwdLength(s, i);
    return refwd > 0 ? i + refwd : 0;
}

} // namespace

BaseSubject BaseSubject::extract(const QString& decoded)
{
    BaseSubject result;
    // (1) Tabs and line breaks are white space; runs of it become one space.
    QString s;
    for (QChar c : decoded)
    {
        const bool space = c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
        if (space && (s.isEmpty() || s.back() == u' '))
        {
            if (s.isEmpty())
                s += u' '; // a leading space is removed as a subj-leader below
            continue;
        }
        s += space ? u' ' : c;
    }
    while (true)
    {
        // (2) subj-trailer = "(fwd)" / WSP, repeatedly.
        while (true)
        {
            if (s.endsWith(u' '))
                s.chop(1);
            else if (s.endsWith(u"(fwd)", Qt::CaseInsensitive))
            {
                s.chop(5);
                result.replyOrForward = true;
            }
            else
                break;
        }
        // (3)-(5) leaders, and a blob when something remains after it.
        while (true)
        {
            if (const qsizetype leader = leaderLength(s))
            {
                if (!isWsp(s[0]))
                    result.replyOrForward = true;
                s.remove(0, leader);
                continue;
            }
            const qsizetype blob = blobLength(s, 0);
            if (blob > 0 && blob < s.size())
            {
                s.remove(0, blob);
                continue;
            }
            break;
        }
        // (6) subj-fwd-hdr "[fwd:" ... subj-fwd-trl "]": remove and start again at (2).
        if (s.startsWith(u"[fwd:", Qt::CaseInsensitive) && s.endsWith(u']'))
        {
            s = s.sliced(5, s.size() - 6);
            result.replyOrForward = true;
            continue;
        }
        break;
    }
    result.text = s;
    return result;
}

} // namespace promail
