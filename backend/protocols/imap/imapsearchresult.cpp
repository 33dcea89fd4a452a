#include "protocols/imap/imapsearchresult.h"

#include "protocols/imap/imapsearchkey.h"

using namespace Qt::StringLiterals;

namespace promail
{

QByteArray ImapSearchResult::sequenceSet(const QList<qint64>& ascending)
{
    QByteArray set;
    for (qsizetype i = 0; i < ascending.size();)
    {
        qsizetype j = i;
        while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1)
            ++j;
        if (!set.isEmpty())
            set += ',';
        set += QByteArray::number(ascending[i]);
        if (j > i)
            set += ':' + QByteArray::number(ascending[j]);
        i = j + 1;
    }
    return set;
}

QByteArray ImapSearchResult::esearch(const QByteArray& tag, bool uid, const QList<qint64>& ascending, int options)
{
    using P = ImapSearchProgram;
    QByteArray line = "ESEARCH (TAG \""_ba + tag + "\")"_ba;
    if (uid)
        line += " UID"_ba;
    if (!ascending.isEmpty())
    {
        if (options & P::ReturnMin)
            line += " MIN "_ba + QByteArray::number(ascending.first());
        if (options & P::ReturnMax)
            line += " MAX "_ba + QByteArray::number(ascending.last());
        if (options & P::ReturnAll)
            line += " ALL "_ba + sequenceSet(ascending);
    }
    if (options & P::ReturnCount)
        line += " COUNT "_ba + QByteArray::number(ascending.size());
    return line;
}

QList<qsizetype> ImapSearchResult::savedIndexes(const QList<qsizetype>& found, int options)
{
    using P = ImapSearchProgram;
    const bool minOrMax = options & (P::ReturnMin | P::ReturnMax);
    const bool everything = options & (P::ReturnAll | P::ReturnCount);
    if (!minOrMax || everything || found.isEmpty())
        return found;
    QList<qsizetype> saved;
    if (options & P::ReturnMin)
        saved.append(found.first());
    if ((options & P::ReturnMax) && (saved.isEmpty() || saved.first() != found.last()))
        saved.append(found.last());
    return saved;
}

} // namespace promail
