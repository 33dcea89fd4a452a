#include "directory/recipientresolver.h"

#include "core/settingdefinitions.h"
#include "directory/addressrules.h"
#include "directory/aliasstore.h"
#include "shared/address.h"
#include "storage/database.h"
#include "storage/settingsstore.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

QString resolutionStatusName(Resolution::Status status)
{
    switch (status)
    {
    case Resolution::Status::Ok:
        return u"ok"_s;
    case Resolution::Status::Unknown:
        return u"unknown"_s;
    case Resolution::Status::Inactive:
        return u"inactive"_s;
    case Resolution::Status::NotLocal:
        return u"not_local"_s;
    }
    return u"unknown"_s;
}

struct RecipientResolver::Walk
{
    Resolution result;
    QSet<QString> expanded; // local addresses already followed: stops loops and repeats
    QSet<qint64> mailboxIds;
    int maxDepth = 10;

    void note(const QString& text)
    {
        if (!result.reason.isEmpty())
            result.reason += u"; "_s;
        result.reason += text;
    }
};

Result<std::pair<qint64, QString>> RecipientResolver::localDomain(const QString& domain, bool* inactive) const
{
    *inactive = false;
    QString name = domain;
    bool aliasInactive = false;
    const auto target = m_queries.domainAliasTarget(domain, &aliasInactive);
    if (!target)
        return target.error();
    if (!target->isEmpty())
    {
        if (aliasInactive)
        {
            *inactive = true;
            return std::pair<qint64, QString>{0, domain};
        }
        name = *target;
    }
    auto query = m_context.database.run(u"SELECT id, active FROM domains WHERE name = ?"_s, {name});
    if (!query)
        return query.error();
    if (!query->next())
        return std::pair<qint64, QString>{0, name};
    if (!query->value(1).toBool())
    {
        *inactive = true;
        return std::pair<qint64, QString>{0, name};
    }
    return std::pair<qint64, QString>{query->value(0).toLongLong(), name};
}

Result<Resolution> RecipientResolver::resolve(const QString& recipient) const
{
    Walk walk;
    walk.maxDepth = int(m_context.settings.intValue(settingkeys::kAliasMaxDepth));
    const QString trimmed = recipient.trimmed();
    const qsizetype at = trimmed.lastIndexOf(u'@');
    if (at <= 0)
    {
        walk.note(u"'%1' is not an address of the form local@domain"_s.arg(trimmed));
        return walk.result;
    }
    const ParsedDomain domain = parseDomainName(trimmed.mid(at + 1));
    if (!domain.domain)
    {
        walk.note(domain.error);
        return walk.result;
    }
    bool inactive = false;
    const auto local = localDomain(domain.domain->ascii, &inactive);
    if (!local)
        return local.error();
    if (local->first == 0)
    {
        walk.result.status = inactive ? Resolution::Status::Inactive : Resolution::Status::NotLocal;
        walk.note(inactive ? u"domain %1 is inactive"_s.arg(local->second)
                           : u"%1 is not a local domain"_s.arg(domain.domain->ascii));
        return walk.result;
    }
    const auto outcome = expandLocal(walk, trimmed.left(at).toLower(), local->first, local->second, {}, 0, true, false);
    if (!outcome)
        return outcome.error();
    if (!walk.result.mailboxes.isEmpty() || !walk.result.external.isEmpty())
        walk.result.status = Resolution::Status::Ok;
    else
        walk.result.status = *outcome == Outcome::Inactive ? Resolution::Status::Inactive : Resolution::Status::Unknown;
    return walk.result;
}

Result<RecipientResolver::Outcome> RecipientResolver::expandLocal(Walk& walk, const QString& localPart, qint64 domainId,
                                                                  const QString& domain, const QString& tag, int depth,
                                                                  bool topLevel, bool viaList) const
{
    const QString address = localPart + u'@' + domain;
    if (depth > walk.maxDepth)
    {
        walk.note(u"%1 is more than %2 aliases deep"_s.arg(address).arg(walk.maxDepth));
        return Outcome::Unknown;
    }
    if (walk.expanded.contains(address))
        return Outcome::Delivered; // already followed on another route, or an alias loop
    walk.expanded.insert(address);

    bool found = false;
    auto outcome = expandExact(walk, localPart, domainId, domain, tag, depth, topLevel, viaList, &found);
    if (!outcome || found)
        return outcome;

    // RFC 5233 sub-addressing: user+tag reaches user, keeping the tag for delivery.
    const qsizetype plus = localPart.indexOf(u'+');
    if (plus > 0 && tag.isEmpty())
    {
        outcome = expandExact(walk, localPart.left(plus), domainId, domain, localPart.mid(plus + 1), depth, topLevel,
                              viaList, &found);
        if (!outcome || found)
            return outcome;
    }

    const auto wildcards = AliasStore(m_context).wildcards(domainId);
    if (!wildcards)
        return wildcards.error();
    for (const Alias& alias : *wildcards)
    {
        if (AddressRules::wildcardMatches(alias.localPart, localPart))
        {
            if (const Status s = expandDestinations(walk, alias.destinations, depth + 1, viaList); !s)
                return s.error();
            return Outcome::Delivered;
        }
    }

    const auto catchAll = m_queries.addressList(u"catch_all_destinations"_s, u"domain_id"_s, domainId);
    if (!catchAll)
        return catchAll.error();
    if (!catchAll->isEmpty())
    {
        if (const Status s = expandDestinations(walk, *catchAll, depth + 1, viaList); !s)
            return s.error();
        return Outcome::Delivered;
    }
    return Outcome::Unknown;
}

Result<RecipientResolver::Outcome> RecipientResolver::expandInactive(Walk& walk, const QString& address,
                                                                     qint64 domainId, int depth, bool topLevel,
                                                                     bool viaList) const
{
    walk.note(u"%1 is inactive"_s.arg(address));
    // Seed 001: mail to a disabled mailbox bounces unless a catch-all is set; the same holds for
    // a switched-off alias or list. Below the top level the branch is simply skipped.
    if (!topLevel)
        return Outcome::Inactive;
    const auto catchAll = m_queries.addressList(u"catch_all_destinations"_s, u"domain_id"_s, domainId);
    if (!catchAll)
        return catchAll.error();
    if (catchAll->isEmpty())
        return Outcome::Inactive;
    if (const Status s = expandDestinations(walk, *catchAll, depth + 1, viaList); !s)
        return s.error();
    return Outcome::Delivered;
}

Result<RecipientResolver::Outcome> RecipientResolver::expandExact(Walk& walk, const QString& localPart, qint64 domainId,
                                                                  const QString& domain, const QString& tag, int depth,
                                                                  bool topLevel, bool viaList, bool* found) const
{
    // One exact owner at most (the stores keep mailboxes, lists and exact aliases apart).
    auto owner =
        m_context.database.run(u"SELECT 1, id, active FROM mailboxes WHERE domain_id = ? AND local_part = ? "
                               "UNION ALL SELECT 2, id, active FROM lists WHERE domain_id = ? AND local_part = ? "
                               "UNION ALL SELECT 3, id, active FROM aliases WHERE domain_id = ? AND local_part = ?"_s,
                               {domainId, localPart, domainId, localPart, domainId, localPart});
    if (!owner)
        return owner.error();
    *found = owner->next();
    if (!*found)
        return Outcome::Unknown;
    const int kind = owner->value(0).toInt();
    const qint64 id = owner->value(1).toLongLong();
    const bool active = owner->value(2).toBool();
    const QString address = localPart + u'@' + domain;
    owner->finish();
    if (!active)
        return expandInactive(walk,
                              (kind == 1   ? u"mailbox "_s
                               : kind == 2 ? u"list "_s
                                           : u"alias "_s) +
                                  address,
                              domainId, depth, topLevel, viaList);
    if (kind == 1)
    {
        if (!walk.mailboxIds.contains(id))
        {
            walk.mailboxIds.insert(id);
            walk.result.mailboxes.append({id, address, tag, viaList});
        }
        else if (!viaList)
        {
            for (LocalRecipient& recipient : walk.result.mailboxes)
            {
                if (recipient.mailboxId == id)
                    recipient.viaList = false; // also reached directly
            }
        }
        return Outcome::Delivered;
    }
    if (kind == 2)
        walk.result.lists.append(address);
    const auto destinations = kind == 2 ? m_queries.addressList(u"list_members"_s, u"list_id"_s, id)
                                        : m_queries.addressList(u"alias_destinations"_s, u"alias_id"_s, id);
    if (!destinations)
        return destinations.error();
    if (const Status s = expandDestinations(walk, *destinations, depth + 1, viaList || kind == 2); !s)
        return s.error();
    return Outcome::Delivered;
}

Status RecipientResolver::expandDestinations(Walk& walk, const QStringList& destinations, int depth, bool viaList) const
{
    for (const QString& destination : destinations)
    {
        const ParsedAddress parsed = parseMailAddress(destination);
        if (!parsed.address)
        {
            walk.note(parsed.error);
            continue;
        }
        bool inactive = false;
        const auto local = localDomain(parsed.address->domain, &inactive);
        if (!local)
            return local.error();
        if (local->first == 0 && !inactive)
        {
            const QString address = parsed.address->toString();
            if (!walk.result.external.contains(address, Qt::CaseInsensitive))
            {
                walk.result.external.append(address);
                if (viaList)
                    walk.result.externalViaList.append(address);
            }
            else if (!viaList)
            {
                walk.result.externalViaList.removeIf([&](const QString& other)
                                                     { return other.compare(address, Qt::CaseInsensitive) == 0; });
            }
            continue;
        }
        if (inactive)
        {
            walk.note(u"domain %1 is inactive"_s.arg(local->second));
            continue;
        }
        const QString localPart = parsed.address->localPart.toLower();
        const auto outcome = expandLocal(walk, localPart, local->first, local->second, {}, depth, false, viaList);
        if (!outcome)
            return outcome.error();
        if (*outcome == Outcome::Unknown)
            walk.note(u"%1@%2 does not exist"_s.arg(localPart, local->second));
    }
    return {};
}

} // namespace promail
