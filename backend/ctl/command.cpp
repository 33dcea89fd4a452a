#include "command.h"

using namespace Qt::StringLiterals;

namespace promail
{

Flag Flag::text(const QString& name, const QString& param, const QString& valueName)
{
    return {name, FlagType::Text, param, valueName, {}, {}};
}

Flag Flag::nullableText(const QString& name, const QString& param, const QString& valueName)
{
    return {name, FlagType::NullableText, param, valueName, {}, {}};
}

Flag Flag::integer(const QString& name, const QString& param)
{
    return {name, FlagType::Integer, param, u"N"_s, {}, {}};
}

Flag Flag::boolean(const QString& name, const QString& param)
{
    return {name, FlagType::Boolean, param, u"B"_s, {}, {}};
}

Flag Flag::list(const QString& name, const QString& param, const QString& valueName)
{
    return {name, FlagType::List, param, valueName, {}, {}};
}

Flag Flag::choice(const QString& name, const QString& param, const QStringList& choices)
{
    return {name, FlagType::Choice, param, choices.join(u'|'), choices, {}};
}

Flag Flag::toggle(const QString& name, const QString& param, const QJsonValue& value)
{
    return {name, FlagType::Switch, param, {}, {}, value};
}

QString Command::name() const
{
    return verb.isEmpty() ? resource : resource + u' ' + verb;
}

const Flag* Command::flag(const QString& flagName) const
{
    for (const Flag& f : flags)
    {
        if (f.name == flagName)
            return &f;
    }
    return nullptr;
}

namespace
{

QString flagText(const Flag& flag)
{
    return flag.valueName.isEmpty() ? flag.name : flag.name + u' ' + flag.valueName;
}

const FlagGroup* groupOf(const QList<FlagGroup>& groups, const QString& flagName)
{
    for (const FlagGroup& group : groups)
    {
        if (group.flags.contains(flagName))
            return &group;
    }
    return nullptr;
}

} // namespace

QString Command::usage(int width) const
{
    QStringList tokens{u"promailctl"_s, resource};
    if (!verb.isEmpty())
        tokens << verb;
    for (const Argument& argument : arguments)
        tokens << argument.name;
    for (const Flag& f : flags)
    {
        const FlagGroup* group = groupOf(groups, f.name);
        if (!group)
        {
            tokens << u'[' + flagText(f) + u']';
            continue;
        }
        // A group is shown once, where its first flag is: "(--a | --b X)" when one is required.
        if (group->flags.first() != f.name)
            continue;
        QStringList alternatives;
        for (const QString& member : group->flags)
            alternatives << flagText(*flag(member));
        const QString joined = alternatives.join(u" | "_s);
        tokens << (group->required ? u'(' + joined + u')' : u'[' + joined + u']');
    }

    // Wrap long lines under the first argument so the flags stay readable in a terminal.
    const qsizetype indent = name().size() + 12;
    QString text;
    qsizetype column = 0;
    for (const QString& token : tokens)
    {
        if (column > 0 && column + 1 + token.size() > width)
        {
            text += u'\n' + QString(indent, u' ');
            column = indent;
        }
        else if (column > 0)
        {
            text += u' ';
            ++column;
        }
        text += token;
        column += token.size();
    }
    return text;
}

} // namespace promail
