#pragma once

#include "command.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

namespace promail
{

struct ParsedArguments
{
    QJsonObject params; // positional arguments and flags with an API parameter, as JSON
    QStringList positionals;
    QSet<QString> given; // every flag that was given, e.g. "--password-stdin"
    QString error;       // a usage error; the other members are then incomplete
};

// Parses the words after RESOURCE VERB against one command's arguments and flags. Flags may come
// before, between or after the arguments, as "--flag VALUE" or "--flag=VALUE"; "--" ends flags.
// "--json" and "--help" are accepted by every command.
class ArgumentParser
{
public:
    explicit ArgumentParser(const Command& command);

    ParsedArguments parse(const QStringList& words) const;

    static bool parseBoolean(const QString& text, bool* value);
    static QStringList splitList(const QString& text);

private:
    QString addFlag(const Flag& flag, const QString& value, ParsedArguments& parsed) const;
    QString checkGroups(const ParsedArguments& parsed) const;

    const Command& m_command;
};

} // namespace promail
