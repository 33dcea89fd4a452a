#include "commandhandlers.h"
#include "commandtable.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

const QStringList kAliasFields{u"address"_s,  u"domain"_s, u"destinations"_s, u"active"_s,
                               u"wildcard"_s, u"system"_s, u"created_at"_s,   u"updated_at"_s};

const QStringList kListFields{u"address"_s,      u"domain"_s, u"description"_s, u"members"_s,
                              u"members_only"_s, u"active"_s, u"created_at"_s,  u"updated_at"_s};

QList<Flag> listFlags()
{
    return {
        Flag::text(u"--domain"_s, u"domain"_s, u"D"_s),
        Flag::text(u"--q"_s, u"q"_s, u"S"_s),
        Flag::integer(u"--limit"_s, u"limit"_s),
    };
}

QString memberCount(const QJsonObject& list)
{
    return QString::number(list.value(u"members"_s).toArray().size());
}

} // namespace

QList<Command> aliasCommands()
{
    using namespace handlers;
    const Argument address{u"ADDR"_s, u"address"_s};
    const Flag active = Flag::boolean(u"--active"_s, u"active"_s);
    const Flag membersOnly = Flag::boolean(u"--members-only"_s, u"members_only"_s);
    const Flag description = Flag::text(u"--description"_s, u"description"_s, u"T"_s);
    const QList<Column> aliasColumns{
        {u"ADDRESS"_s, u"address"_s}, {u"ACTIVE"_s, u"active"_s}, {u"DESTINATIONS"_s, u"destinations"_s}};
    const QList<Column> listColumns{
        {u"ADDRESS"_s, u"address"_s}, {u"MEMBERS"_s, {}, memberCount},      {u"MEMBERS_ONLY"_s, u"members_only"_s},
        {u"ACTIVE"_s, u"active"_s},   {u"DESCRIPTION"_s, u"description"_s},
    };

    return {
        {u"alias"_s,
         u"add"_s,
         {address, {.name = u"DEST[,DEST...]"_s, .param = u"destinations"_s, .list = true}},
         {active},
         change(u"aliases.create"_s, u"created alias %1"_s, u"address"_s)},
        {u"alias"_s, u"list"_s, {}, listFlags(), list(u"aliases.list"_s, aliasColumns)},
        {u"alias"_s, u"show"_s, {address}, {}, show(u"aliases.get"_s, kAliasFields)},
        {.resource = u"alias"_s,
         .verb = u"set"_s,
         .arguments = {address},
         .flags = {Flag::list(u"--to"_s, u"destinations"_s, u"DEST[,DEST...]"_s), active},
         .run = change(u"aliases.update"_s, u"updated alias %1"_s, u"address"_s),
         .needsChange = true},
        {u"alias"_s, u"remove"_s, {address}, {}, change(u"aliases.delete"_s, u"removed alias %1"_s, u"address"_s)},

        {u"list"_s,
         u"add"_s,
         {address, {.name = u"MEMBER[,MEMBER...]"_s, .param = u"members"_s, .list = true}},
         {membersOnly, description, active},
         change(u"lists.create"_s, u"created list %1"_s, u"address"_s)},
        {u"list"_s, u"list"_s, {}, listFlags(), list(u"lists.list"_s, listColumns)},
        {u"list"_s, u"show"_s, {address}, {}, show(u"lists.get"_s, kListFields)},
        {.resource = u"list"_s,
         .verb = u"set"_s,
         .arguments = {address},
         .flags = {Flag::list(u"--members"_s, u"members"_s, u"M,..."_s), membersOnly, description, active},
         .run = change(u"lists.update"_s, u"updated list %1"_s, u"address"_s),
         .needsChange = true},
        {u"list"_s, u"remove"_s, {address}, {}, change(u"lists.delete"_s, u"removed list %1"_s, u"address"_s)},
    };
}

} // namespace promail
