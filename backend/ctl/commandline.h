#pragma once

#include "command.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace promail
{

// promailctl [--data-dir DIR | --socket PATH] [--config FILE] [--json] RESOURCE [VERB] ARGS...
// Finds the command in the table, parses its arguments, finds the admin socket and runs it.
class CommandLine
{
public:
    explicit CommandLine(QList<Command> commands);

    int run(const QStringList& arguments);

private:
    struct Options
    {
        QString dataDir;
        QString socket;
        QString config;
        bool json = false;
        bool help = false;
        bool version = false;
    };

    QString parseOptions(const QStringList& arguments, qsizetype* next, Options* options) const;
    const Command* findCommand(const QString& resource, const QString& verb) const;
    QStringList verbsOf(const QString& resource) const;
    QString helpText() const;
    int usageError(const QString& message, const QString& usage = {}) const;

    // The admin socket: --socket, else DIR/run/admin.sock with DIR from --data-dir or the config.
    static bool resolveSocket(const Options& options, QString* socket, QString* error);

    QList<Command> m_commands;
};

} // namespace promail
