#pragma once

#include <QString>
#include <QStringView>

namespace promail
{

// Queue ids name a queued message in logs, the API and the spool (like Postfix's long queue ids):
// 16 characters of Crockford's base32 alphabet (0-9, A-Z without I, L, O, U). The first five
// come from a random number, so that the first two (the spool subdirectory) spread files over
// up to 1024 directories; the other eleven are the microseconds since the epoch, strictly
// increasing within the process, so that two ids of one process never collide.
QString newQueueId();

// True for a string of the form newQueueId() returns.
bool isQueueId(QStringView text);

// True when `text` can begin a queue id, such as the spool's bucket directory names.
bool isQueueIdPrefix(QStringView text);

} // namespace promail
