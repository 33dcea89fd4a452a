// AdminService: the policy operations (failed-login bans, forwarding hosts).
#include "admin/adminservice.h"
#include "admin/directorycodec.h"
#include "policy/forwardinghosts.h"
#include "policy/loginbans.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QJsonObject toJson(const LoginBan& ban)
{
    return {{u"address"_s, ban.address},
            {u"service"_s, ban.service},
            {u"failures"_s, ban.failures},
            {u"banned_at"_s, codec::timestamp(ban.bannedAt)},
            {u"expires_at"_s, codec::timestamp(ban.expiresAt)}};
}

QJsonObject toJson(const ForwardingHost& host)
{
    return {{u"network"_s, host.network},
            {u"description"_s, host.description},
            {u"created_at"_s, codec::timestamp(host.createdAt)}};
}
} // namespace

void AdminService::addPolicyOperations()
{
    if (LoginBans* bans = m_context.bans)
    {
        add(u"bans.list"_s, {false,
                             {},
                             [bans](Params& p) -> Result<QJsonValue>
                             {
                                 if (const Status s = p.finish(); !s)
                                     return s.error();
                                 QJsonArray items;
                                 for (const LoginBan& ban : bans->bans())
                                     items.append(toJson(ban));
                                 return QJsonValue(QJsonObject{{u"items"_s, items}});
                             }});
        add(u"bans.delete"_s, {true, u"address"_s,
                               [bans](Params& p) -> Result<QJsonValue>
                               {
                                   const QString address = p.required(u"address"_s);
                                   if (const Status s = p.finish(); !s)
                                       return s.error();
                                   if (QHostAddress(address.trimmed()).isNull())
                                       return Error::invalid(u"address"_s,
                                                             u"'%1' is not an IP address"_s.arg(address.trimmed()));
                                   if (!bans->lift(address))
                                       return Error::notFound(u"%1 is not banned"_s.arg(address.trimmed()));
                                   return QJsonValue(QJsonObject{{u"deleted"_s, true}});
                               }});
    }

    if (ForwardingHosts* hosts = m_context.forwardingHosts)
    {
        add(u"forwarding_hosts.list"_s, {false,
                                         {},
                                         [hosts](Params& p) -> Result<QJsonValue>
                                         {
                                             if (const Status s = p.finish(); !s)
                                                 return s.error();
                                             const auto list = hosts->list();
                                             if (!list)
                                                 return list.error();
                                             QJsonArray items;
                                             for (const ForwardingHost& host : *list)
                                                 items.append(toJson(host));
                                             return QJsonValue(QJsonObject{{u"items"_s, items}});
                                         }});
        add(u"forwarding_hosts.create"_s, {true, u"network"_s,
                                           [hosts](Params& p) -> Result<QJsonValue>
                                           {
                                               const QString network = p.required(u"network"_s);
                                               const QString description =
                                                   p.string(u"description"_s).value_or(QString());
                                               if (const Status s = p.finish(); !s)
                                                   return s.error();
                                               const auto added = hosts->add(network, description);
                                               if (!added)
                                                   return added.error();
                                               return QJsonValue(toJson(*added));
                                           }});
        add(u"forwarding_hosts.delete"_s, {true, u"network"_s,
                                           [hosts](Params& p) -> Result<QJsonValue>
                                           {
                                               const QString network = p.required(u"network"_s);
                                               if (const Status s = p.finish(); !s)
                                                   return s.error();
                                               if (const Status removed = hosts->remove(network); !removed)
                                                   return removed.error();
                                               return QJsonValue(QJsonObject{{u"deleted"_s, true}});
                                           }});
    }
}

} // namespace promail
