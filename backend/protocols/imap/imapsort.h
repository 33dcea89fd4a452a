#pragma once

#include "mailstore/folderview.h"
#include "protocols/imap/imapparser.h"

#include <QByteArray>
#include <QList>

namespace promail
{

class HeaderBlock;

// RFC 5256 §3 SORT: the sort criteria and the ordering of messages by them.
namespace ImapSort
{

enum class Key
{
    Arrival,
    Cc,
    Date,
    From,
    Size,
    Subject,
    To,
};

struct Criterion
{
    Key key = Key::Arrival;
    bool reverse = false;
};

// What the criteria compare, taken once per message (RFC 5256 §3).
struct Record
{
    qsizetype index = 0; // in the folder, from 0: the final tie-breaker
    qint64 arrival = 0;  // INTERNALDATE, seconds
    qint64 size = 0;
    qint64 sent = 0; // Date: in UTC seconds, or the internal date when it cannot be read
    QByteArray from; // addr-mailbox (local part) of the first address, ASCII upper case
    QByteArray to;
    QByteArray cc;
    QByteArray subject; // base subject (RFC 5256 §2.1), UTF-8, ASCII upper case

    // `header` may be null when no criterion needs it.
    static Record of(const SnapshotMessage& message, qsizetype index, const HeaderBlock* header);
};

// sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"; errors go to the parser.
QList<Criterion> parseCriteria(ImapParser& parser);
bool needsHeader(const QList<Criterion>& criteria);
// The records ordered by the criteria, ties by sequence number (RFC 5256 §3).
void sort(QList<Record>& records, const QList<Criterion>& criteria);

} // namespace ImapSort

} // namespace promail
