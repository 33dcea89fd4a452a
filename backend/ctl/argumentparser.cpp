#include "argumentparser.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kJsonFlag = u"--json"_s;
const QString kHelpFlag = u"--help"_s;
} // namespace

ArgumentParser::ArgumentParser(const Command& command) : m_command(command)
{
}

bool ArgumentParser::parseBoolean(const QString& text, bool* value)
{
    static const QStringList yes{u"true"_s, u"yes"_s, u"on"_s, u"1"_s};
    static const QStringList no{u"false"_s, u"no"_s, u"off"_s, u"0"_s};
    const QString lower = text.toLower();
    if (yes.contains(lower))
        *value = true;
    else if (no.contains(lower))
        *value = false;
    else
        return false;
    return true;
}

QStringList ArgumentParser::splitList(const QString& text)
{
    QStringList items;
    for (const QString& item : text.split(u','))
    {
        const QString trimmed = item.trimmed();
        if (!trimmed.isEmpty())
            items << trimmed;
    }
    return items;
}

ParsedArguments ArgumentParser::parse(const QStringList& words) const
{
    ParsedArguments parsed;
    bool flagsEnded = false;
    for (qsizetype i = 0; i < words.size(); ++i)
    {
        const QString& word = words.at(i);
        if (flagsEnded || !word.startsWith(u"--"_s))
        {
            parsed.positionals << word;
            continue;
        }
        if (word == u"--"_s)
        {
            flagsEnded = true;
            continue;
        }
        const qsizetype equals = word.indexOf(u'=');
        const QString name = equals < 0 ? word : word.left(equals);
        if (name == kJsonFlag || name == kHelpFlag)
        {
            parsed.given.insert(name);
            continue;
        }
        const Flag* flag = m_command.flag(name);
        if (!flag)
        {
            parsed.error = u"unknown flag %1 for '%2'"_s.arg(name, m_command.name());
            return parsed;
        }
        if (parsed.given.contains(name))
        {
            parsed.error = u"%1 is given twice"_s.arg(name);
            return parsed;
        }
        parsed.given.insert(name);
        QString value;
        if (flag->type == FlagType::Switch)
        {
            if (equals >= 0)
            {
                parsed.error = u"%1 takes no value"_s.arg(name);
                return parsed;
            }
        }
        else if (equals >= 0)
        {
            value = word.mid(equals + 1);
        }
        else if (i + 1 < words.size())
        {
            value = words.at(++i);
        }
        else
        {
            parsed.error = u"%1 needs a value (%2)"_s.arg(name, flag->valueName);
            return parsed;
        }
        parsed.error = addFlag(*flag, value, parsed);
        if (!parsed.error.isEmpty())
            return parsed;
    }

    if (parsed.given.contains(kHelpFlag))
        return parsed;
    if (parsed.positionals.size() != m_command.arguments.size())
    {
        QStringList names;
        for (const Argument& argument : m_command.arguments)
            names << argument.name;
        if (parsed.positionals.size() < m_command.arguments.size())
            parsed.error = u"'%1' needs %2"_s.arg(m_command.name(), names.mid(parsed.positionals.size()).join(u' '));
        else
            parsed.error = u"unexpected argument '%1'"_s.arg(parsed.positionals.at(m_command.arguments.size()));
        return parsed;
    }
    for (qsizetype i = 0; i < m_command.arguments.size(); ++i)
    {
        const Argument& argument = m_command.arguments.at(i);
        const QString& value = parsed.positionals.at(i);
        if (argument.list)
            parsed.params.insert(argument.param, QJsonArray::fromStringList(splitList(value)));
        else
            parsed.params.insert(argument.param, value);
    }
    parsed.error = checkGroups(parsed);
    return parsed;
}

QString ArgumentParser::addFlag(const Flag& flag, const QString& value, ParsedArguments& parsed) const
{
    QJsonValue json;
    switch (flag.type)
    {
    case FlagType::Text:
        json = value;
        break;
    case FlagType::NullableText:
        json = value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
        break;
    case FlagType::Integer:
    {
        bool ok = false;
        const qlonglong number = value.toLongLong(&ok);
        if (!ok)
            return u"%1 expects a whole number, not '%2'"_s.arg(flag.name, value);
        json = number;
        break;
    }
    case FlagType::Boolean:
    {
        bool b = false;
        if (!parseBoolean(value, &b))
            return u"%1 expects true/false/yes/no/on/off/1/0, not '%2'"_s.arg(flag.name, value);
        json = b;
        break;
    }
    case FlagType::List:
        json = QJsonArray::fromStringList(splitList(value));
        break;
    case FlagType::Choice:
        if (!flag.choices.contains(value))
            return u"%1 expects one of %2, not '%3'"_s.arg(flag.name, flag.choices.join(u", "_s), value);
        json = value;
        break;
    case FlagType::Switch:
        json = flag.switchValue;
        break;
    }
    if (!flag.param.isEmpty())
        parsed.params.insert(flag.param, json);
    return {};
}

QString ArgumentParser::checkGroups(const ParsedArguments& parsed) const
{
    for (const FlagGroup& group : m_command.groups)
    {
        QStringList present;
        for (const QString& name : group.flags)
        {
            if (parsed.given.contains(name))
                present << name;
        }
        if (present.size() > 1)
            return u"%1 cannot be used together"_s.arg(present.join(u" and "_s));
        if (group.required && present.isEmpty())
            return u"'%1' needs one of %2"_s.arg(m_command.name(), group.flags.join(u", "_s));
    }
    if (m_command.needsChange)
    {
        QSet<QString> changes = parsed.given;
        changes.remove(kJsonFlag);
        if (changes.isEmpty())
            return u"'%1' needs at least one flag saying what to change"_s.arg(m_command.name());
    }
    return {};
}

} // namespace promail
