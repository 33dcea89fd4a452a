#pragma once

#include "core/result.h"
#include "core/settingdefinitions.h"

#include <QHash>
#include <QJsonValue>
#include <QReadWriteLock>

namespace promail
{

class Database;

// Values of the settings declared in SettingDefinitions, persisted in the `settings` table and
// cached, so readers on any thread see a change at once without a restart.
class SettingsStore
{
public:
    explicit SettingsStore(const Database& database);

    Status load();

    QJsonValue value(const QString& key) const; // the stored value, else the declared default
    qint64 intValue(const QString& key) const { return value(key).toInteger(); }
    bool boolValue(const QString& key) const { return value(key).toBool(); }
    QString stringValue(const QString& key) const { return value(key).toString(); }

    // Validates against the definition and stores; returns the canonical value.
    Result<QJsonValue> set(const QString& key, const QJsonValue& input);

private:
    const Database& m_database;
    mutable QReadWriteLock m_lock;
    QHash<QString, QJsonValue> m_values;
};

} // namespace promail
