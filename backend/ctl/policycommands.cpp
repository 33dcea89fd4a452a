#include "commandhandlers.h"
#include "commandtable.h"

using namespace Qt::StringLiterals;

namespace promail
{

QList<Command> policyCommands()
{
    using namespace handlers;
    const QList<Column> banColumns{
        {u"ADDRESS"_s, u"address"_s},     {u"SERVICE"_s, u"service"_s},       {u"FAILURES"_s, u"failures"_s},
        {u"BANNED_AT"_s, u"banned_at"_s}, {u"EXPIRES_AT"_s, u"expires_at"_s},
    };
    const QList<Column> forwardingHostColumns{
        {u"NETWORK"_s, u"network"_s}, {u"DESCRIPTION"_s, u"description"_s}, {u"CREATED_AT"_s, u"created_at"_s}};
    const Argument network{u"NETWORK"_s, u"network"_s};

    return {
        {u"ban"_s, u"list"_s, {}, {}, list(u"bans.list"_s, banColumns)},
        {u"ban"_s,
         u"remove"_s,
         {{u"ADDRESS"_s, u"address"_s}},
         {},
         change(u"bans.delete"_s, u"lifted the ban on %1"_s, u"address"_s)},

        {u"forwarding-host"_s,
         u"add"_s,
         {network},
         {Flag::text(u"--description"_s, u"description"_s, u"T"_s)},
         change(u"forwarding_hosts.create"_s, u"added forwarding host %1"_s, u"network"_s)},
        {u"forwarding-host"_s, u"list"_s, {}, {}, list(u"forwarding_hosts.list"_s, forwardingHostColumns)},
        {u"forwarding-host"_s,
         u"remove"_s,
         {network},
         {},
         change(u"forwarding_hosts.delete"_s, u"removed forwarding host %1"_s, u"network"_s)},
    };
}

} // namespace promail
