#include "directory/domainaliasstore.h"

#include "shared/address.h"
#include "storage/database.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSelect = u"SELECT a.id, a.name, d.name, a.active, a.created_at, a.updated_at "
                        "FROM domain_aliases a JOIN domains d ON d.id = a.target_id "_s;

Result<QString> normalized(const QString& input, const QString& field)
{
    const ParsedDomain parsed = parseDomainName(input);
    if (!parsed.domain)
        return Error::invalid(field, parsed.error);
    return parsed.domain->ascii;
}
} // namespace

Result<QList<DomainAlias>> DomainAliasStore::load(const QString& whereClause, const QVariantList& bindings) const
{
    auto query = m_context.database.run(kSelect + whereClause, bindings);
    if (!query)
        return query.error();
    QList<DomainAlias> aliases;
    while (query->next())
    {
        DomainAlias alias;
        alias.id = query->value(0).toLongLong();
        alias.name = query->value(1).toString();
        alias.nameUnicode = parseDomainName(alias.name).domain.value_or(DomainName{alias.name, alias.name}).unicode;
        alias.target = query->value(2).toString();
        alias.active = query->value(3).toBool();
        alias.createdAt = fromSeconds(query->value(4).toLongLong());
        alias.updatedAt = fromSeconds(query->value(5).toLongLong());
        aliases.append(alias);
    }
    return aliases;
}

Result<Page<DomainAlias>> DomainAliasStore::list(const PageRequest& request) const
{
    QString where = u"WHERE a.name > ?"_s;
    QVariantList bindings{request.cursor};
    if (!request.query.isEmpty())
    {
        where += u" AND (a.name LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\')"_s;
        bindings << likePattern(request.query) << likePattern(request.query);
    }
    auto rows = load(where + u" ORDER BY a.name LIMIT ?"_s, bindings << request.limit + 1);
    if (!rows)
        return rows.error();
    return makePage(std::move(*rows), request.limit, [](const DomainAlias& a) { return a.name; });
}

Result<DomainAlias> DomainAliasStore::get(const QString& name) const
{
    const auto ascii = normalized(name, u"name"_s);
    if (!ascii)
        return ascii.error();
    const auto rows = load(u"WHERE a.name = ?"_s, {*ascii});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(u"there is no domain alias %1"_s.arg(*ascii));
    return rows->first();
}

Result<qint64> DomainAliasStore::targetId(const QString& target) const
{
    const auto ascii = normalized(target, u"target"_s);
    if (!ascii)
        return ascii.error();
    const auto id = m_queries.domainId(*ascii);
    if (!id)
        return id.error();
    if (*id == 0)
        return Error::invalid(u"target"_s, u"there is no domain %1 to point to"_s.arg(*ascii));
    return *id;
}

Result<DomainAlias> DomainAliasStore::create(const DomainAliasInput& input) const
{
    const auto name = normalized(input.name, u"name"_s);
    if (!name)
        return name.error();
    const auto existingDomain = m_queries.domainId(*name);
    if (!existingDomain)
        return existingDomain.error();
    if (*existingDomain != 0)
        return Error::conflict(u"%1 is already a domain"_s.arg(*name), u"name"_s);
    const auto existingAlias = m_queries.domainAliasTarget(*name);
    if (!existingAlias)
        return existingAlias.error();
    if (!existingAlias->isEmpty())
        return Error::conflict(u"domain alias %1 already exists"_s.arg(*name), u"name"_s);
    const auto target = targetId(input.target.value_or(QString()));
    if (!target)
        return target.error();
    const qint64 now = nowSeconds();
    const auto inserted = m_context.database.run(
        u"INSERT INTO domain_aliases (name, target_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"_s,
        {*name, *target, input.active.value_or(true), now, now});
    if (!inserted)
        return inserted.error();
    return get(*name);
}

Result<DomainAlias> DomainAliasStore::update(const DomainAliasInput& input) const
{
    const auto alias = get(input.name);
    if (!alias)
        return alias.error();
    qint64 target = 0;
    if (input.target)
    {
        const auto id = targetId(*input.target);
        if (!id)
            return id.error();
        target = *id;
    }
    else
    {
        const auto id = m_queries.domainId(alias->target);
        if (!id)
            return id.error();
        target = *id;
    }
    const auto updated =
        m_context.database.run(u"UPDATE domain_aliases SET target_id = ?, active = ?, updated_at = ? WHERE id = ?"_s,
                               {target, input.active.value_or(alias->active), nowSeconds(), alias->id});
    if (!updated)
        return updated.error();
    return get(alias->name);
}

Status DomainAliasStore::remove(const QString& name) const
{
    const auto alias = get(name);
    if (!alias)
        return alias.error();
    const auto removed = m_context.database.run(u"DELETE FROM domain_aliases WHERE id = ?"_s, {alias->id});
    if (!removed)
        return removed.error();
    return {};
}

} // namespace promail
