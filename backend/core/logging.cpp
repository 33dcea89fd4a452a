#include "core/logging.h"

#include <QByteArray>
#include <QDateTime>

#include <cstdio>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

namespace promail
{

Q_LOGGING_CATEGORY(lcCore, "promail.core", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "promail.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDirectory, "promail.directory", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAdmin, "promail.admin", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "promail.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDelivery, "promail.delivery", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSmtp, "promail.smtp", QtInfoMsg)

namespace
{
bool g_toJournal = false;

// systemd sets JOURNAL_STREAM=DEV:INODE when stderr is the journal's stream socket.
bool stderrIsJournal()
{
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    if (stream.isEmpty())
        return false;
    struct stat st = {};
    if (fstat(STDERR_FILENO, &st) != 0)
        return false;
    const QByteArray mine = QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino));
    return stream == mine;
}

const char* levelName(QtMsgType type)
{
    switch (type)
    {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO";
    case QtWarningMsg:
        return "WARNING";
    case QtCriticalMsg:
        return "ERROR";
    case QtFatalMsg:
        return "FATAL";
    }
    return "INFO";
}

int syslogPriority(QtMsgType type)
{
    switch (type)
    {
    case QtDebugMsg:
        return LOG_DEBUG;
    case QtInfoMsg:
        return LOG_INFO;
    case QtWarningMsg:
        return LOG_WARNING;
    case QtCriticalMsg:
        return LOG_ERR;
    case QtFatalMsg:
        return LOG_CRIT;
    }
    return LOG_INFO;
}

void handleMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QByteArray text = message.toUtf8();
    const char* category = context.category ? context.category : "default";
    if (g_toJournal)
    {
        sd_journal_send("MESSAGE=%s", text.constData(), "PRIORITY=%i", syslogPriority(type), "PROMAIL_CATEGORY=%s",
                        category, "SYSLOG_IDENTIFIER=promaild", nullptr);
    }
    else
    {
        const QByteArray stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
        std::fprintf(stderr, "%s %s %s: %s\n", stamp.constData(), levelName(type), category, text.constData());
        std::fflush(stderr);
    }
    if (type == QtFatalMsg)
        std::abort();
}
} // namespace

void Logging::install()
{
    g_toJournal = stderrIsJournal();
    qInstallMessageHandler(handleMessage);
}

} // namespace promail
