#include "storage/settingsstore.h"

#include "core/logging.h"
#include "storage/database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Values are stored as a one-element JSON array so that every JSON type round-trips as text.
QString encode(const QJsonValue& value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

QJsonValue decode(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array().at(0);
}
} // namespace

SettingsStore::SettingsStore(const Database& database) : m_database(database)
{
}

Status SettingsStore::load()
{
    auto query = m_database.run(u"SELECT key, value FROM settings"_s);
    if (!query)
        return query.error();
    QHash<QString, QJsonValue> values;
    while (query->next())
    {
        const QString key = query->value(0).toString();
        const SettingDefinition* definition = SettingDefinitions::find(key);
        if (!definition)
        {
            qCWarning(lcStorage).noquote() << "ignoring stored setting" << key << "that this version does not know";
            continue;
        }
        const auto checked = definition->validate(decode(query->value(1).toString()));
        if (!checked)
        {
            qCWarning(lcStorage).noquote()
                << "stored setting" << key << "is invalid, using the default:" << checked.error().message;
            continue;
        }
        values.insert(key, *checked);
    }
    QWriteLocker locker(&m_lock);
    m_values = std::move(values);
    return {};
}

QJsonValue SettingsStore::value(const QString& key) const
{
    {
        QReadLocker locker(&m_lock);
        const auto it = m_values.constFind(key);
        if (it != m_values.constEnd())
            return *it;
    }
    const SettingDefinition* definition = SettingDefinitions::find(key);
    Q_ASSERT_X(definition, "SettingsStore::value", "undeclared setting key");
    return definition ? definition->defaultValue : QJsonValue();
}

Result<QJsonValue> SettingsStore::set(const QString& key, const QJsonValue& input)
{
    const SettingDefinition* definition = SettingDefinitions::find(key);
    if (!definition)
        return Error::notFound(u"there is no setting '%1'"_s.arg(key));
    auto checked = definition->validate(input);
    if (!checked)
        return checked.error();
    const auto stored = m_database.run(u"INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                                       "updated_at = excluded.updated_at"_s,
                                       {key, encode(*checked), QDateTime::currentSecsSinceEpoch()});
    if (!stored)
        return stored.error();
    QWriteLocker locker(&m_lock);
    m_values.insert(key, *checked);
    return *checked;
}

} // namespace promail
