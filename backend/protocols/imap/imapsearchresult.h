#pragma once

#include <QByteArray>
#include <QList>

namespace promail
{

// How the results of SEARCH are written: the ESEARCH response of RFC 4731 and the part of a
// result that RFC 5182 saves as "$".
namespace ImapSearchResult
{

// Ascending numbers as a compact sequence set (RFC 9051 §9): 1,2,3,5 → "1:3,5".
QByteArray sequenceSet(const QList<qint64>& ascending);

// RFC 4731 §3.1: "ESEARCH (TAG "t") [UID] [MIN n] [MAX n] [ALL set] [COUNT n]" for the
// ImapSearchProgram::ReturnOption bits in `options`; MIN, MAX and ALL are left out when
// nothing matched.
QByteArray esearch(const QByteArray& tag, bool uid, const QList<qint64>& ascending, int options);

// RFC 5182 §2.1: what SAVE keeps from `found` (ascending): with MIN and/or MAX but neither ALL
// nor COUNT only those, else everything.
QList<qsizetype> savedIndexes(const QList<qsizetype>& found, int options);

} // namespace ImapSearchResult

} // namespace promail
