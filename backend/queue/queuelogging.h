#pragma once

#include <QLoggingCategory>

namespace promail
{

// The outbound queue's log category ("promail.queue").
Q_DECLARE_LOGGING_CATEGORY(lcQueue)

} // namespace promail
