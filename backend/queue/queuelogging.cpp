#include "queue/queuelogging.h"

namespace promail
{

Q_LOGGING_CATEGORY(lcQueue, "promail.queue", QtInfoMsg)

} // namespace promail
