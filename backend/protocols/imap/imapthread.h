#pragma once

#include "mailstore/folderview.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace promail
{

class HeaderBlock;

// RFC 5256 §3 THREAD=ORDEREDSUBJECT and THREAD=REFERENCES: messages grouped into threads and
// written as thread-lists ("(1 2)(3 (4)(5))").
namespace ImapThread
{

enum class Algorithm
{
    OrderedSubject,
    References,
};

// What the algorithms look at, taken once per message.
struct Message
{
    qsizetype index = 0; // in the folder, from 0
    qint64 sent = 0;     // Date: in UTC seconds, or the internal date (RFC 5256 §2.2)
    QByteArray subject;  // base subject (§2.1), UTF-8, ASCII upper case
    bool replyOrForward = false;
    QByteArray messageId;         // without "<>"; empty when missing
    QList<QByteArray> references; // References:, else the first In-Reply-To: id

    static Message of(const SnapshotMessage& snapshot, qsizetype index, const HeaderBlock& header);
};

// "algorithm" as the client wrote it, or nothing when it is not supported.
std::optional<Algorithm> algorithm(const QByteArray& name);

// The thread-lists for the messages (in folder order), numbers from `number(index)`.
QByteArray threads(const QList<Message>& messages, Algorithm algorithm, const std::function<qint64(qsizetype)>& number);

// Every "<id>" of a References: or In-Reply-To: value (RFC 5322 §3.6.4), without brackets.
QList<QByteArray> messageIds(QByteArrayView value);

} // namespace ImapThread

} // namespace promail
