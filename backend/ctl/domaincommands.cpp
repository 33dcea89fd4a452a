#include "commandcontext.h"
#include "commandhandlers.h"
#include "commandtable.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

QList<Flag> domainFlags()
{
    return {
        Flag::text(u"--description"_s, u"description"_s, u"T"_s),
        Flag::boolean(u"--active"_s, u"active"_s),
        Flag::integer(u"--max-mailboxes"_s, u"max_mailboxes"_s),
        Flag::integer(u"--max-aliases"_s, u"max_aliases"_s),
        Flag::integer(u"--quota-mib"_s, u"quota_mib"_s),
        Flag::integer(u"--default-quota-mib"_s, u"default_quota_mib"_s),
        Flag::integer(u"--max-quota-mib"_s, u"max_quota_mib"_s),
        Flag::nullableText(u"--postmaster"_s, u"postmaster"_s, u"ADDR"_s),
        Flag::list(u"--catch-all"_s, u"catch_all"_s, u"A,B"_s),
    };
}

QList<Flag> pageFlags()
{
    return {Flag::text(u"--q"_s, u"q"_s, u"S"_s), Flag::integer(u"--limit"_s, u"limit"_s)};
}

const QStringList kDomainFields{
    u"name"_s,          u"name_unicode"_s,        u"description"_s, u"active"_s,
    u"max_mailboxes"_s, u"max_aliases"_s,         u"quota_mib"_s,   u"default_quota_mib"_s,
    u"max_quota_mib"_s, u"postmaster"_s,          u"catch_all"_s,   u"mailbox_count"_s,
    u"alias_count"_s,   u"allocated_quota_mib"_s, u"created_at"_s,  u"updated_at"_s,
};

const QStringList kDomainAliasFields{u"name"_s,   u"name_unicode"_s, u"target"_s,
                                     u"active"_s, u"created_at"_s,   u"updated_at"_s};

const Argument kName{u"NAME"_s, u"name"_s};

int showCatchAll(CommandContext& context)
{
    const rpc::Response response = context.call(u"domains.get"_s, context.params());
    if (response.error)
        return context.fail(response);
    const QJsonObject domain = response.result.toObject();
    if (context.output().isJson())
    {
        context.output().json(domain);
        return ExitOk;
    }
    QJsonObject shown;
    shown.insert(u"domain"_s, domain.value(u"name"_s));
    shown.insert(u"catch_all"_s, domain.value(u"catch_all"_s));
    context.output().object(shown, {u"domain"_s, u"catch_all"_s});
    return ExitOk;
}

int clearCatchAll(CommandContext& context)
{
    QJsonObject params = context.params();
    params.insert(u"catch_all"_s, QJsonArray());
    const rpc::Response response = context.call(u"domains.update"_s, params);
    if (response.error)
        return context.fail(response);
    const QString name = response.result.toObject().value(u"name"_s).toString(context.argument(0));
    context.output().confirm(response.result, u"cleared the catch-all of %1"_s.arg(name));
    return ExitOk;
}

} // namespace

QList<Command> domainCommands()
{
    using namespace handlers;
    const QList<Column> domainColumns{
        {u"NAME"_s, u"name"_s},           {u"ACTIVE"_s, u"active"_s},       {u"MAILBOXES"_s, u"mailbox_count"_s},
        {u"ALIASES"_s, u"alias_count"_s}, {u"QUOTA_MIB"_s, u"quota_mib"_s}, {u"DESCRIPTION"_s, u"description"_s},
    };
    const QList<Column> domainAliasColumns{
        {u"NAME"_s, u"name"_s}, {u"TARGET"_s, u"target"_s}, {u"ACTIVE"_s, u"active"_s}};
    const Argument domain{u"DOMAIN"_s, u"name"_s};

    return {
        {u"domain"_s, u"add"_s, {kName}, domainFlags(), change(u"domains.create"_s, u"created domain %1"_s, u"name"_s)},
        {u"domain"_s, u"list"_s, {}, pageFlags(), list(u"domains.list"_s, domainColumns)},
        {u"domain"_s, u"show"_s, {kName}, {}, show(u"domains.get"_s, kDomainFields)},
        {.resource = u"domain"_s,
         .verb = u"set"_s,
         .arguments = {kName},
         .flags = domainFlags(),
         .run = change(u"domains.update"_s, u"updated domain %1"_s, u"name"_s),
         .needsChange = true},
        {u"domain"_s, u"remove"_s, {kName}, {}, change(u"domains.delete"_s, u"removed domain %1"_s, u"name"_s)},

        {u"domain-alias"_s,
         u"add"_s,
         {{u"ALIAS"_s, u"name"_s}, {u"TARGET"_s, u"target"_s}},
         {Flag::boolean(u"--active"_s, u"active"_s)},
         change(u"domain_aliases.create"_s, u"created domain alias %1"_s, u"name"_s)},
        {u"domain-alias"_s, u"list"_s, {}, pageFlags(), list(u"domain_aliases.list"_s, domainAliasColumns)},
        {u"domain-alias"_s, u"show"_s, {kName}, {}, show(u"domain_aliases.get"_s, kDomainAliasFields)},
        {.resource = u"domain-alias"_s,
         .verb = u"set"_s,
         .arguments = {kName},
         .flags = {Flag::text(u"--target"_s, u"target"_s, u"T"_s), Flag::boolean(u"--active"_s, u"active"_s)},
         .run = change(u"domain_aliases.update"_s, u"updated domain alias %1"_s, u"name"_s),
         .needsChange = true},
        {u"domain-alias"_s,
         u"remove"_s,
         {kName},
         {},
         change(u"domain_aliases.delete"_s, u"removed domain alias %1"_s, u"name"_s)},

        // The catch-all is a field of the domain (domains.get / domains.update catch_all).
        {u"catch-all"_s, u"show"_s, {domain}, {}, showCatchAll},
        {u"catch-all"_s,
         u"set"_s,
         {domain, {.name = u"DEST[,DEST...]"_s, .param = u"catch_all"_s, .list = true}},
         {},
         change(u"domains.update"_s, u"set the catch-all of %1"_s, u"name"_s)},
        {u"catch-all"_s, u"clear"_s, {domain}, {}, clearCatchAll},
    };
}

} // namespace promail
