#include "core/settingdefinitions.h"

using namespace Qt::StringLiterals;

namespace promail
{

QString settingTypeName(SettingType type)
{
    switch (type)
    {
    case SettingType::Bool:
        return u"bool"_s;
    case SettingType::Int:
        return u"int"_s;
    case SettingType::String:
        return u"string"_s;
    case SettingType::Duration:
        return u"duration"_s;
    case SettingType::Size:
        return u"size"_s;
    }
    return u"string"_s;
}

const QList<SettingDefinition>& SettingDefinitions::all()
{
    // Keep alphabetical by key. Every key here has a row in docs/configuration.md.
    static const QList<SettingDefinition> definitions{
        {settingkeys::kAliasMaxDepth, SettingType::Int, 10,
         u"How many aliases (or lists) may lead to one another before resolution gives up."_s, 1, 50},
        {settingkeys::kPasswordMinLength, SettingType::Int, 8,
         u"Shortest password accepted for a mailbox (imported hashes are not checked)."_s, 1, 128},
    };
    return definitions;
}

const SettingDefinition* SettingDefinitions::find(const QString& key)
{
    for (const SettingDefinition& definition : all())
    {
        if (definition.key == key)
            return &definition;
    }
    return nullptr;
}

Result<QJsonValue> SettingDefinition::validate(const QJsonValue& input) const
{
    const QString field = u"value"_s;
    switch (type)
    {
    case SettingType::Bool:
    {
        if (input.isBool())
            return input;
        const QString text = input.toString().trimmed().toLower();
        if (text == u"true" || text == u"yes" || text == u"on" || text == u"1")
            return QJsonValue(true);
        if (text == u"false" || text == u"no" || text == u"off" || text == u"0")
            return QJsonValue(false);
        return Error::invalid(field, u"%1 takes true or false"_s.arg(key));
    }
    case SettingType::Int:
    case SettingType::Duration:
    case SettingType::Size:
    {
        qint64 number = 0;
        if (input.isDouble())
        {
            const double d = input.toDouble();
            if (d != static_cast<double>(static_cast<qint64>(d)))
                return Error::invalid(field, u"%1 takes a whole number"_s.arg(key));
            number = static_cast<qint64>(d);
        }
        else
        {
            bool ok = false;
            number = input.toString().trimmed().toLongLong(&ok);
            if (!ok)
                return Error::invalid(field, u"%1 takes a whole number"_s.arg(key));
        }
        if (number < minimum || number > maximum)
            return Error::invalid(field, u"%1 must be between %2 and %3"_s.arg(key).arg(minimum).arg(maximum));
        return QJsonValue(number);
    }
    case SettingType::String:
        if (!input.isString())
            return Error::invalid(field, u"%1 takes a string"_s.arg(key));
        if (input.toString().size() > maximum)
            return Error::invalid(field, u"%1 is longer than %2 characters"_s.arg(key).arg(maximum));
        return input;
    }
    return Error::internal(u"unknown setting type"_s);
}

} // namespace promail
