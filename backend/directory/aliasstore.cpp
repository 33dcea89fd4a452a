#include "directory/aliasstore.h"

#include "directory/addressrules.h"
#include "directory/domainstore.h"
#include "storage/database.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSelect = u"SELECT a.id, a.local_part, d.name, a.active, a.is_system, a.created_at, a.updated_at "
                        "FROM aliases a JOIN domains d ON d.id = a.domain_id "_s;
}

Result<QList<Alias>> AliasStore::load(const QString& whereClause, const QVariantList& bindings) const
{
    auto query = m_context.database.run(kSelect + whereClause, bindings);
    if (!query)
        return query.error();
    QList<Alias> aliases;
    while (query->next())
    {
        Alias alias;
        alias.id = query->value(0).toLongLong();
        alias.localPart = query->value(1).toString();
        alias.domain = query->value(2).toString();
        alias.active = query->value(3).toBool();
        alias.system = query->value(4).toBool();
        alias.createdAt = fromSeconds(query->value(5).toLongLong());
        alias.updatedAt = fromSeconds(query->value(6).toLongLong());
        aliases.append(alias);
    }
    for (Alias& alias : aliases)
    {
        const auto destinations = m_queries.addressList(u"alias_destinations"_s, u"alias_id"_s, alias.id);
        if (!destinations)
            return destinations.error();
        alias.destinations = *destinations;
    }
    return aliases;
}

Result<Page<Alias>> AliasStore::list(const QString& domain, const PageRequest& request) const
{
    QString where = u"WHERE (a.local_part || '@' || d.name) > ?"_s;
    QVariantList bindings{request.cursor};
    if (!domain.isEmpty())
    {
        const auto found = DomainStore(m_context).get(domain);
        if (!found)
            return found.error();
        where += u" AND d.id = ?"_s;
        bindings << found->id;
    }
    if (!request.query.isEmpty())
    {
        where += u" AND (a.local_part || '@' || d.name) LIKE ? ESCAPE '\\'"_s;
        bindings << likePattern(request.query);
    }
    auto rows = load(where + u" ORDER BY a.local_part || '@' || d.name LIMIT ?"_s, bindings << request.limit + 1);
    if (!rows)
        return rows.error();
    return makePage(std::move(*rows), request.limit, [](const Alias& a) { return a.address(); });
}

Result<Alias> AliasStore::get(const QString& address) const
{
    const auto parsed = AddressRules::parse(address, AddressKind::Alias, u"address"_s);
    if (!parsed)
        return parsed.error();
    const auto rows = load(u"WHERE d.name = ? AND a.local_part = ?"_s, {parsed->domain, parsed->localPart});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(u"there is no alias %1"_s.arg(parsed->toString()));
    return rows->first();
}

Result<QList<Alias>> AliasStore::wildcards(qint64 domainId) const
{
    auto rows = load(u"WHERE a.domain_id = ? AND a.active = 1 AND a.local_part LIKE '%*%'"_s, {domainId});
    if (!rows)
        return rows.error();
    auto literalLength = [](const Alias& a)
    {
        return a.localPart.size() - a.localPart.count(u'*');
    };
    std::stable_sort(rows->begin(), rows->end(),
                     [&](const Alias& x, const Alias& y)
                     {
                         if (literalLength(x) != literalLength(y))
                             return literalLength(x) > literalLength(y);
                         return x.localPart < y.localPart;
                     });
    return rows;
}

Result<QStringList> AliasStore::checkedDestinations(const QStringList& input, const QString& self) const
{
    auto destinations = AddressRules::parseDestinations(input, u"destinations"_s, false);
    if (!destinations)
        return destinations;
    for (const QString& destination : *destinations)
    {
        if (destination.compare(self, Qt::CaseInsensitive) == 0)
            return Error::invalid(u"destinations"_s, u"an alias cannot deliver to itself"_s);
    }
    return destinations;
}

Result<Alias> AliasStore::create(const AliasInput& input) const
{
    const auto address = AddressRules::parse(input.address, AddressKind::Alias, u"address"_s);
    if (!address)
        return address.error();
    const auto domain = DomainStore(m_context).get(address->domain);
    if (!domain)
        return domain.error();
    const auto owner = m_queries.ownerOf(domain->id, address->localPart);
    if (!owner)
        return owner.error();
    if (*owner != AddressOwner::None)
        return Error::conflict(u"%1 already exists as %2"_s.arg(address->toString(), ownerName(*owner)), u"address"_s);
    if (domain->maxAliases > 0 && domain->aliasCount >= domain->maxAliases)
        return Error::conflict(
            u"domain %1 already has its maximum of %2 aliases"_s.arg(domain->name).arg(domain->maxAliases));
    const auto destinations = checkedDestinations(input.destinations.value_or(QStringList()), address->toString());
    if (!destinations)
        return destinations.error();

    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = nowSeconds();
    const auto inserted =
        db.run(u"INSERT INTO aliases (domain_id, local_part, active, is_system, created_at, updated_at) "
               "VALUES (?, ?, ?, 0, ?, ?)"_s,
               {domain->id, address->localPart, input.active.value_or(true), now, now});
    if (!inserted)
        return inserted.error();
    auto id =
        db.run(u"SELECT id FROM aliases WHERE domain_id = ? AND local_part = ?"_s, {domain->id, address->localPart});
    if (!id || !id->next())
        return Error::internal(u"the new alias vanished"_s);
    if (const Status s = m_queries.replaceAddressList(u"alias_destinations"_s, u"alias_id"_s, id->value(0).toLongLong(),
                                                      *destinations);
        !s)
        return s.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(address->toString());
}

Result<Alias> AliasStore::update(const AliasInput& input) const
{
    const auto alias = get(input.address);
    if (!alias)
        return alias.error();
    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    if (input.destinations)
    {
        const auto destinations = checkedDestinations(*input.destinations, alias->address());
        if (!destinations)
            return destinations.error();
        if (const Status s =
                m_queries.replaceAddressList(u"alias_destinations"_s, u"alias_id"_s, alias->id, *destinations);
            !s)
            return s.error();
    }
    if (input.active && alias->system && !*input.active)
        return Error::forbidden(
            u"%1 is required by RFC 5321/RFC 2142 and cannot be deactivated"_s.arg(alias->address()));
    const auto updated = db.run(u"UPDATE aliases SET active = ?, updated_at = ? WHERE id = ?"_s,
                                {input.active.value_or(alias->active), nowSeconds(), alias->id});
    if (!updated)
        return updated.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(alias->address());
}

Status AliasStore::remove(const QString& address) const
{
    const auto alias = get(address);
    if (!alias)
        return alias.error();
    if (alias->system)
        return Error::forbidden(
            u"%1 cannot be removed while its domain exists; change its destinations instead"_s.arg(alias->address()));
    const auto removed = m_context.database.run(u"DELETE FROM aliases WHERE id = ?"_s, {alias->id});
    if (!removed)
        return removed.error();
    return {};
}

} // namespace promail
