#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace promail
{

class CommandContext;

// promailctl's exit codes (docs/admin-api.md "promailctl").
enum ExitCode
{
    ExitOk = 0,
    ExitFailure = 1, // the daemon refused or could not be reached
    ExitUsage = 2,   // the command line itself is wrong
};

enum class FlagType
{
    Text,         // any string
    NullableText, // a string; an empty value sends JSON null (clears the field)
    Integer,
    Boolean, // true/false/yes/no/on/off/1/0
    List,    // comma-separated, sent as a JSON array of strings
    Choice,  // one of `choices`
    Switch,  // takes no value; sends `switchValue` when `param` is set
};

struct Flag
{
    QString name; // "--max-mailboxes"
    FlagType type = FlagType::Text;
    QString param; // the API parameter it fills; empty when the handler reads the flag itself
    QString valueName;
    QStringList choices;
    QJsonValue switchValue;

    static Flag text(const QString& name, const QString& param, const QString& valueName);
    static Flag nullableText(const QString& name, const QString& param, const QString& valueName);
    static Flag integer(const QString& name, const QString& param);
    static Flag boolean(const QString& name, const QString& param);
    static Flag list(const QString& name, const QString& param, const QString& valueName);
    static Flag choice(const QString& name, const QString& param, const QStringList& choices);
    static Flag toggle(const QString& name, const QString& param = {}, const QJsonValue& value = true);
};

struct Argument
{
    QString name;  // as shown in usage: "NAME", "DEST[,DEST...]"
    QString param; // the API parameter it fills
    bool list = false;
};

// Flags of which at most one (or, when required, exactly one) may be given.
struct FlagGroup
{
    QStringList flags;
    bool required = false;
};

using Handler = std::function<int(CommandContext&)>;

// One row of promailctl's command table: RESOURCE VERB ARGUMENTS [FLAGS], and what runs it.
struct Command
{
    QString resource;
    QString verb; // empty for commands without one ("status", "resolve ADDRESS")
    QList<Argument> arguments;
    QList<Flag> flags;
    Handler run;
    QList<FlagGroup> groups = {};
    bool needsChange = false; // "set" verbs: at least one flag must say what to change

    QString name() const;                 // "domain add"
    QString usage(int width = 100) const; // "promailctl domain add NAME [--description T] ..."
    const Flag* flag(const QString& name) const;
};

} // namespace promail
