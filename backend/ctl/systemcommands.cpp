#include "commandcontext.h"
#include "commandhandlers.h"
#include "commandtable.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

const QStringList kSettingFields{u"key"_s, u"type"_s, u"value"_s, u"default"_s, u"description"_s};

int setSetting(CommandContext& context)
{
    const rpc::Response response = context.call(u"settings.set"_s, context.params());
    if (response.error)
        return context.fail(response);
    const QJsonObject setting = response.result.toObject();
    context.output().confirm(response.result, u"%1 = %2"_s.arg(setting.value(u"key"_s).toString(context.argument(0)),
                                                               Output::text(setting.value(u"value"_s))));
    return ExitOk;
}

// directory.resolve: local mailboxes read "address" or "address (tag: T)".
int resolveAddress(CommandContext& context)
{
    const rpc::Response response = context.call(u"directory.resolve"_s, context.params());
    if (response.error)
        return context.fail(response);
    QJsonObject shown = response.result.toObject();
    QJsonArray mailboxes;
    for (const QJsonValue& value : shown.value(u"mailboxes"_s).toArray())
    {
        const QJsonObject mailbox = value.toObject();
        const QString tag = mailbox.value(u"tag"_s).toString();
        const QString address = mailbox.value(u"address"_s).toString();
        mailboxes.append(tag.isEmpty() ? address : address + u" (tag: "_s + tag + u')');
    }
    shown.insert(u"mailboxes"_s, mailboxes);
    if (context.output().isJson())
        context.output().json(response.result);
    else
        context.output().object(shown, {u"status"_s, u"mailboxes"_s, u"external"_s, u"reason"_s});
    return ExitOk;
}

QString tlsHost(const QJsonObject& certificate)
{
    const QString host = certificate.value(u"host"_s).toString();
    return host.isEmpty() ? u"(default)"_s : host;
}

} // namespace

QList<Command> systemCommands()
{
    using namespace handlers;
    const QList<Column> settingColumns{
        {u"KEY"_s, u"key"_s}, {u"TYPE"_s, u"type"_s}, {u"VALUE"_s, u"value"_s}, {u"DEFAULT"_s, u"default"_s}};
    const QList<Column> eventColumns{
        {u"AT"_s, u"at"_s}, {u"ACTOR"_s, u"actor"_s}, {u"ACTION"_s, u"action"_s}, {u"TARGET"_s, u"target"_s}};
    const QList<Column> tlsColumns{
        {u"HOST"_s, {}, tlsHost},
        {u"NOT_AFTER"_s, u"not_after"_s},
        {u"SUBJECT"_s, u"subject"_s},
        {u"FINGERPRINT_SHA256"_s, u"fingerprint_sha256"_s},
    };
    const Argument key{u"KEY"_s, u"key"_s};

    return {
        {u"settings"_s, u"list"_s, {}, {}, list(u"settings.list"_s, settingColumns)},
        {u"settings"_s, u"get"_s, {key}, {}, show(u"settings.get"_s, kSettingFields)},
        // The daemon parses a string value by the setting's type ("true", "3600"), so the CLI
        // sends what was typed.
        {u"settings"_s, u"set"_s, {key, {u"VALUE"_s, u"value"_s}}, {}, setSetting},
        {u"events"_s,
         u"list"_s,
         {},
         {Flag::text(u"--q"_s, u"q"_s, u"S"_s), Flag::integer(u"--limit"_s, u"limit"_s)},
         list(u"events.list"_s, eventColumns)},
        {u"resolve"_s, {}, {{u"ADDRESS"_s, u"address"_s}}, {}, resolveAddress},
        {u"tls"_s, u"list"_s, {}, {}, list(u"tls.list"_s, tlsColumns)},
        {u"status"_s,
         {},
         {},
         {},
         show(u"system.status"_s, {u"version"_s, u"hostname"_s, u"data_dir"_s, u"started_at"_s, u"uptime_seconds"_s})},
    };
}

} // namespace promail
