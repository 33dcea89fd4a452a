#include "policy/senderpolicy.h"

#include "directory/recipientresolver.h"
#include "shared/address.h"
#include "storage/database.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 5233: "local+detail" is a sub-address of "local".
bool isSameOrSubAddress(const QString& localPart, const QString& base)
{
    return localPart == base ||
           (localPart.startsWith(base) && localPart.size() > base.size() && localPart.at(base.size()) == u'+');
}
} // namespace

Result<bool> SenderPolicy::mayUse(const Mailbox& sender, const QString& address) const
{
    // "" is the null reverse-path (RFC 5321 §4.5.5): bounces, which the server sends itself, never
    // an authenticated user. It fails to parse, like any other garbage.
    const ParsedAddress parsed = parseMailAddress(address);
    if (!parsed.address)
        return false;
    if (sender.allowMasquerade)
        return true;
    const QString localPart = parsed.address->localPart.toLower();
    const QString& domain = parsed.address->domain;

    // The address's domain as a hosted domain: itself, or the target of an active domain alias.
    const DirectoryQueries queries(m_context.database);
    QString localDomain = domain;
    bool aliasInactive = false;
    const auto target = queries.domainAliasTarget(domain, &aliasInactive);
    if (!target)
        return target.error();
    if (!target->isEmpty())
    {
        if (aliasInactive)
            return false;
        localDomain = *target;
    }

    if (localDomain == sender.domain && isSameOrSubAddress(localPart, sender.localPart))
        return true;

    // An exact alias that delivers to the sender, or a sub-address of one. A '*' in the address
    // would name a wildcard alias's row literally; wildcards and catch-alls are never identities.
    const qsizetype plus = localPart.indexOf(u'+');
    const QString base = plus > 0 ? localPart.left(plus) : localPart;
    if (base.contains(u'*'))
        return false;
    const auto domainId = queries.domainId(localDomain);
    if (!domainId)
        return domainId.error();
    if (*domainId == 0)
        return false;
    const auto owner = queries.ownerOf(*domainId, base);
    if (!owner)
        return owner.error();
    if (*owner != AddressOwner::Alias)
        return false;
    // An inactive alias would resolve to the catch-all instead: not the alias's own route.
    auto active = m_context.database.run(u"SELECT active FROM aliases WHERE domain_id = ? AND local_part = ?"_s,
                                         {*domainId, base});
    if (!active)
        return active.error();
    if (!active->next() || !active->value(0).toBool())
        return false;
    active->finish();

    const auto resolution = RecipientResolver(m_context).resolve(base + u'@' + localDomain);
    if (!resolution)
        return resolution.error();
    if (resolution->status != Resolution::Status::Ok)
        return false;
    return std::any_of(resolution->mailboxes.cbegin(), resolution->mailboxes.cend(),
                       [&](const LocalRecipient& recipient) { return recipient.mailboxId == sender.id; });
}

} // namespace promail
