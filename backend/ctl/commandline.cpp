#include "commandline.h"

#include "adminconnection.h"
#include "argumentparser.h"
#include "commandcontext.h"
#include "configfile.h"
#include "output.h"
#include "promail/version.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSynopsis =
    u"promailctl [--data-dir DIR | --socket PATH] [--config FILE] [--json] RESOURCE VERB ARGS..."_s;
} // namespace

CommandLine::CommandLine(QList<Command> commands) : m_commands(std::move(commands))
{
}

QString CommandLine::parseOptions(const QStringList& arguments, qsizetype* next, Options* options) const
{
    qsizetype i = 0;
    for (; i < arguments.size() && arguments.at(i).startsWith(u'-'); ++i)
    {
        const QString& word = arguments.at(i);
        const qsizetype equals = word.indexOf(u'=');
        const QString name = equals < 0 ? word : word.left(equals);
        QString* target = nullptr;
        if (name == u"--data-dir"_s)
            target = &options->dataDir;
        else if (name == u"--socket"_s)
            target = &options->socket;
        else if (name == u"--config"_s)
            target = &options->config;
        else if (word == u"--json"_s)
            options->json = true;
        else if (word == u"--help"_s || word == u"-h"_s)
            options->help = true;
        else if (word == u"--version"_s)
            options->version = true;
        else
            return u"unknown option %1"_s.arg(word);
        if (!target)
            continue;
        if (equals >= 0)
            *target = word.mid(equals + 1);
        else if (i + 1 < arguments.size())
            *target = arguments.at(++i);
        else
            return u"%1 needs a value"_s.arg(name);
        if (target->isEmpty())
            return u"%1 needs a non-empty value"_s.arg(name);
    }
    if (!options->dataDir.isEmpty() && !options->socket.isEmpty())
        return u"give either --data-dir or --socket, not both"_s;
    *next = i;
    return {};
}

const Command* CommandLine::findCommand(const QString& resource, const QString& verb) const
{
    for (const Command& command : m_commands)
    {
        if (command.resource == resource && command.verb == verb)
            return &command;
    }
    return nullptr;
}

QStringList CommandLine::verbsOf(const QString& resource) const
{
    QStringList verbs;
    for (const Command& command : m_commands)
    {
        if (command.resource == resource)
            verbs << command.verb;
    }
    return verbs;
}

QString CommandLine::helpText() const
{
    QString text = u"usage: "_s + kSynopsis + u"\n\n"_s;
    text += u"Administers a running promaild through its admin socket (DATA_DIR/run/admin.sock).\n"_s;
    text += u"DATA_DIR comes from --data-dir, else from [server] data_dir in --config FILE\n"_s;
    text += u"(default %1; default data_dir %2).\n\nCommands:\n"_s.arg(ConfigFile::defaultPath(),
                                                                       ConfigFile::defaultDataDir());
    for (const Command& command : m_commands)
        text += u"  "_s + command.usage(98).replace(u'\n', u"\n  "_s) + u'\n';
    text += u"\nBooleans: true/false/yes/no/on/off/1/0. Lists: comma-separated. List verbs fetch every page\n"
            u"unless --limit N is given. Passwords are read from standard input (--password-stdin).\n"
            u"--json prints the API result. Exit status: 0 ok, 1 the operation failed, 2 usage error.\n"_s;
    return text;
}

int CommandLine::usageError(const QString& message, const QString& usage) const
{
    Output::usageError(message, usage.isEmpty() ? kSynopsis : usage);
    return ExitUsage;
}

bool CommandLine::resolveSocket(const Options& options, QString* socket, QString* error)
{
    if (!options.socket.isEmpty())
    {
        *socket = options.socket;
        return true;
    }
    QString dataDir = options.dataDir;
    if (dataDir.isEmpty())
    {
        const QString path = options.config.isEmpty() ? ConfigFile::defaultPath() : options.config;
        ConfigFile config;
        if (config.load(path))
            dataDir = config.path(u"server"_s, u"data_dir"_s, ConfigFile::defaultDataDir());
        else if (options.config.isEmpty() && !QFileInfo::exists(path))
            dataDir = ConfigFile::defaultDataDir(); // no config file: promaild's defaults apply
        else
        {
            *error = config.errorString() + u" (or give --data-dir or --socket)"_s;
            return false;
        }
    }
    *socket = QDir(dataDir).filePath(u"run/admin.sock"_s);
    return true;
}

int CommandLine::run(const QStringList& arguments)
{
    Options options;
    qsizetype next = 0;
    if (const QString error = parseOptions(arguments, &next, &options); !error.isEmpty())
        return usageError(error);
    if (options.help)
    {
        Output::print(helpText().chopped(1));
        return ExitOk;
    }
    if (options.version)
    {
        Output::print(u"promailctl "_s + QString::fromLatin1(kVersion));
        return ExitOk;
    }
    if (next >= arguments.size())
        return usageError(u"missing RESOURCE"_s);

    const QString resource = arguments.at(next++);
    const QStringList verbs = verbsOf(resource);
    if (verbs.isEmpty())
        return usageError(u"unknown resource '%1'"_s.arg(resource));
    QString verb;
    if (!verbs.contains(QString()))
    {
        if (next >= arguments.size())
            return usageError(u"'%1' needs a verb: %2"_s.arg(resource, verbs.join(u", "_s)));
        verb = arguments.at(next++);
    }
    const Command* command = findCommand(resource, verb);
    if (!command)
        return usageError(u"unknown verb '%1' for '%2' (verbs: %3)"_s.arg(verb, resource, verbs.join(u", "_s)));

    ParsedArguments parsed = ArgumentParser(*command).parse(arguments.mid(next));
    if (parsed.given.contains(u"--help"_s))
    {
        Output::print(u"usage: "_s + command->usage().replace(u'\n', u"\n       "_s));
        return ExitOk;
    }
    if (!parsed.error.isEmpty())
        return usageError(parsed.error, command->usage());

    QString socket;
    QString error;
    if (!resolveSocket(options, &socket, &error))
    {
        Output::error(ApiError{ErrorCode::Unavailable, error, {}});
        return ExitFailure;
    }
    const Output output(options.json || parsed.given.contains(u"--json"_s));
    AdminConnection connection(socket);
    CommandContext context(*command, std::move(parsed), connection, output);
    return command->run(context);
}

} // namespace promail
