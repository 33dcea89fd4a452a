// AdminService: settings, the event log, TLS certificates and daemon status.
#include "admin/adminservice.h"
#include "admin/directorycodec.h"
#include "core/settingdefinitions.h"
#include "storage/eventlog.h"
#include "storage/settingsstore.h"

#include "promail/version.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QJsonObject settingToJson(const SettingDefinition& definition, const QJsonValue& value)
{
    return {{u"key"_s, definition.key},
            {u"type"_s, settingTypeName(definition.type)},
            {u"value"_s, value},
            {u"default"_s, definition.defaultValue},
            {u"description"_s, definition.description}};
}
} // namespace

void AdminService::addSystemOperations()
{
    add(u"settings.list"_s, {false,
                             {},
                             [this](Params& p) -> Result<QJsonValue>
                             {
                                 if (const Status s = p.finish(); !s)
                                     return s.error();
                                 QJsonArray items;
                                 for (const SettingDefinition& definition : SettingDefinitions::all())
                                     items.append(settingToJson(definition, m_context.settings.value(definition.key)));
                                 return QJsonValue(QJsonObject{{u"items"_s, items}});
                             }});
    add(u"settings.get"_s, {false,
                            {},
                            [this](Params& p) -> Result<QJsonValue>
                            {
                                const QString key = p.required(u"key"_s);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                const SettingDefinition* definition = SettingDefinitions::find(key);
                                if (!definition)
                                    return Error::notFound(u"there is no setting '%1'"_s.arg(key));
                                return QJsonValue(settingToJson(*definition, m_context.settings.value(key)));
                            }});
    add(u"settings.set"_s, {true, u"key"_s,
                            [this](Params& p) -> Result<QJsonValue>
                            {
                                const QString key = p.required(u"key"_s);
                                const auto value = p.value(u"value"_s);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                if (!value)
                                    return Error::invalid(u"value"_s, u"'value' is required"_s);
                                const auto stored = m_context.settings.set(key, *value);
                                if (!stored)
                                    return stored.error();
                                return QJsonValue(settingToJson(*SettingDefinitions::find(key), *stored));
                            }});
    add(u"events.list"_s, {false,
                           {},
                           [this](Params& p) -> Result<QJsonValue>
                           {
                               const PageRequest page = codec::readPage(p);
                               if (const Status s = p.finish(); !s)
                                   return s.error();
                               const auto events = m_context.eventLog.list(page);
                               if (!events)
                                   return events.error();
                               return QJsonValue(codec::pageToJson(*events));
                           }});
    add(u"tls.list"_s,
        {false,
         {},
         [this](Params& p) -> Result<QJsonValue>
         {
             if (const Status s = p.finish(); !s)
                 return s.error();
             return QJsonValue(QJsonObject{
                 {u"items"_s, m_context.system.certificates ? m_context.system.certificates() : QJsonArray()}});
         }});
    add(u"system.status"_s,
        {false,
         {},
         [this](Params& p) -> Result<QJsonValue>
         {
             if (const Status s = p.finish(); !s)
                 return s.error();
             return QJsonValue(QJsonObject{
                 {u"version"_s, QString::fromLatin1(kVersion)},
                 {u"hostname"_s, m_context.system.hostname},
                 {u"data_dir"_s, m_context.system.dataDir},
                 {u"started_at"_s, codec::timestamp(m_context.system.startedAt)},
                 {u"uptime_seconds"_s, m_context.system.startedAt.secsTo(QDateTime::currentDateTimeUtc())}});
         }});
}

} // namespace promail
