#include "directory/aliasstore.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
void readAliasColumns(Alias& alias, const QSqlQuery& row, int firstColumn)
{
    alias.system = row.value(firstColumn).toBool();
}

const AddressGroupTable<Alias>::Schema kSchema{
    .kind = AddressKind::Alias,
    .noun = u"alias"_s,
    .table = u"aliases"_s,
    .alias = u"a"_s,
    .extraColumns = u"a.is_system"_s,
    .searchColumn = {},
    .addressTable = u"alias_destinations"_s,
    .keyColumn = u"alias_id"_s,
    .addressField = u"destinations"_s,
    .selfError = u"an alias cannot deliver to itself"_s,
    .addresses = &Alias::destinations,
    .readExtraColumns = readAliasColumns,
};
} // namespace

AliasStore::AliasStore(const DirectoryContext& context) : m_table(context, kSchema)
{
}

Result<Page<Alias>> AliasStore::list(const QString& domain, const PageRequest& request) const
{
    return m_table.list(domain, request);
}

Result<Alias> AliasStore::get(const QString& address) const
{
    return m_table.get(address);
}

Result<QList<Alias>> AliasStore::wildcards(qint64 domainId) const
{
    auto rows = m_table.load(u"WHERE a.domain_id = ? AND a.active = 1 AND a.local_part LIKE '%*%'"_s, {domainId});
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

Result<Alias> AliasStore::create(const AliasInput& input) const
{
    const auto target = m_table.claim(input.address);
    if (!target)
        return target.error();
    const Domain& domain = target->domain;
    if (domain.maxAliases > 0 && domain.aliasCount >= domain.maxAliases)
        return Error::conflict(
            u"domain %1 already has its maximum of %2 aliases"_s.arg(domain.name).arg(domain.maxAliases));
    const auto destinations =
        m_table.checkedAddresses(input.destinations.value_or(QStringList()), target->address.toString());
    if (!destinations)
        return destinations.error();
    return m_table.insert(*target, *destinations, u"active, is_system"_s, {input.active.value_or(true), 0});
}

Result<Alias> AliasStore::update(const AliasInput& input) const
{
    const auto alias = get(input.address);
    if (!alias)
        return alias.error();
    const auto destinations = m_table.checkedAddresses(input.destinations, alias->address());
    if (!destinations)
        return destinations.error();
    if (input.active && alias->system && !*input.active)
        return Error::forbidden(
            u"%1 is required by RFC 5321/RFC 2142 and cannot be deactivated"_s.arg(alias->address()));
    return m_table.update(*alias, *destinations, u"active = ?"_s, {input.active.value_or(alias->active)});
}

Status AliasStore::remove(const QString& address) const
{
    const auto alias = get(address);
    if (!alias)
        return alias.error();
    if (alias->system)
        return Error::forbidden(
            u"%1 cannot be removed while its domain exists; change its destinations instead"_s.arg(alias->address()));
    return m_table.remove(*alias);
}

} // namespace promail
