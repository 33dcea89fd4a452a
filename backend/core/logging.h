#pragma once

#include <QLoggingCategory>

namespace promail
{

Q_DECLARE_LOGGING_CATEGORY(lcCore)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcDirectory)
Q_DECLARE_LOGGING_CATEGORY(lcAdmin)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcDelivery)
Q_DECLARE_LOGGING_CATEGORY(lcSmtp)

// Routes Qt's log output to stderr ("LEVEL category: message"), or to the systemd journal with
// priority and category fields when stderr is connected to it (JOURNAL_STREAM, systemd.exec(5)).
// Debug output per category: QT_LOGGING_RULES="promail.*.debug=true".
class Logging
{
public:
    static void install();
};

} // namespace promail
