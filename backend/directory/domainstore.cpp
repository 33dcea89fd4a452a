#include "directory/domainstore.h"

#include "directory/addressrules.h"
#include "shared/address.h"
#include "storage/database.h"

#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSelect = u"SELECT d.id, d.name, d.description, d.active, d.max_mailboxes, d.max_aliases, d.quota_mib, "
                        "d.default_quota_mib, d.max_quota_mib, d.created_at, d.updated_at, "
                        "(SELECT COUNT(*) FROM mailboxes m WHERE m.domain_id = d.id), "
                        "(SELECT COUNT(*) FROM aliases a WHERE a.domain_id = d.id AND a.is_system = 0), "
                        "(SELECT COALESCE(SUM(m.quota_mib), 0) FROM mailboxes m WHERE m.domain_id = d.id) "
                        "FROM domains d "_s;

Domain domainFromRow(const QSqlQuery& row)
{
    Domain d;
    d.id = row.value(0).toLongLong();
    d.name = row.value(1).toString();
    d.nameUnicode = parseDomainName(d.name).domain.value_or(DomainName{d.name, d.name}).unicode;
    d.description = row.value(2).toString();
    d.active = row.value(3).toBool();
    d.maxMailboxes = row.value(4).toInt();
    d.maxAliases = row.value(5).toInt();
    d.quotaMib = row.value(6).toLongLong();
    d.defaultQuotaMib = row.value(7).toLongLong();
    d.maxQuotaMib = row.value(8).toLongLong();
    d.createdAt = fromSeconds(row.value(9).toLongLong());
    d.updatedAt = fromSeconds(row.value(10).toLongLong());
    d.mailboxCount = row.value(11).toInt();
    d.aliasCount = row.value(12).toInt();
    d.allocatedQuotaMib = row.value(13).toLongLong();
    return d;
}

Result<QString> normalizedName(const QString& input)
{
    const ParsedDomain parsed = parseDomainName(input);
    if (!parsed.domain)
        return Error::invalid(u"name"_s, parsed.error);
    return parsed.domain->ascii;
}

void applyInput(Domain& domain, const DomainInput& input)
{
    domain.description = input.description.value_or(domain.description);
    domain.active = input.active.value_or(domain.active);
    domain.maxMailboxes = input.maxMailboxes.value_or(domain.maxMailboxes);
    domain.maxAliases = input.maxAliases.value_or(domain.maxAliases);
    domain.quotaMib = input.quotaMib.value_or(domain.quotaMib);
    domain.defaultQuotaMib = input.defaultQuotaMib.value_or(domain.defaultQuotaMib);
    domain.maxQuotaMib = input.maxQuotaMib.value_or(domain.maxQuotaMib);
}
} // namespace

const QStringList& DomainStore::systemAliases()
{
    static const QStringList names{u"abuse"_s, u"postmaster"_s};
    return names;
}

Result<Domain> DomainStore::load(const QString& whereClause, const QVariant& key) const
{
    auto query = m_context.database.run(kSelect + whereClause, {key});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"domain not found"_s);
    Domain domain = domainFromRow(*query);
    const auto catchAll = m_queries.addressList(u"catch_all_destinations"_s, u"domain_id"_s, domain.id);
    if (!catchAll)
        return catchAll.error();
    domain.catchAll = *catchAll;
    auto postmaster =
        m_context.database.run(u"SELECT ad.address FROM aliases a JOIN alias_destinations ad ON ad.alias_id = a.id "
                               "WHERE a.domain_id = ? AND a.local_part = 'postmaster' ORDER BY ad.position LIMIT 1"_s,
                               {domain.id});
    if (!postmaster)
        return postmaster.error();
    if (postmaster->next())
        domain.postmaster = postmaster->value(0).toString();
    return domain;
}

Result<Page<Domain>> DomainStore::list(const PageRequest& request) const
{
    QString where = u"WHERE d.name > ?"_s;
    QVariantList bindings{request.cursor};
    if (!request.query.isEmpty())
    {
        // A Unicode query ("bücher") is matched against the stored A-labels through IDNA.
        const QString ace = QString::fromLatin1(QUrl::toAce(request.query.toLower()));
        where +=
            u" AND (d.name LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\' OR LOWER(d.description) LIKE ? ESCAPE '\\')"_s;
        bindings << likePattern(request.query) << likePattern(ace.isEmpty() ? request.query : ace)
                 << likePattern(request.query);
    }
    auto query = m_context.database.run(u"SELECT d.name FROM domains d "_s + where + u" ORDER BY d.name LIMIT ?"_s,
                                        bindings << request.limit + 1);
    if (!query)
        return query.error();
    QList<Domain> rows;
    while (query->next())
    {
        auto domain = load(u"WHERE d.name = ?"_s, query->value(0));
        if (!domain)
            return domain.error();
        rows.append(*domain);
    }
    return makePage(std::move(rows), request.limit, [](const Domain& d) { return d.name; });
}

Result<Domain> DomainStore::get(const QString& name) const
{
    const auto normalized = normalizedName(name);
    if (!normalized)
        return normalized.error();
    auto domain = load(u"WHERE d.name = ?"_s, *normalized);
    if (!domain && domain.error().code == ErrorCode::NotFound)
        return Error::notFound(u"there is no domain %1"_s.arg(*normalized));
    return domain;
}

Status DomainStore::validate(const Domain& d, const Domain* previous) const
{
    if (d.maxMailboxes < 0)
        return Error::invalid(u"max_mailboxes"_s, u"max_mailboxes cannot be negative"_s);
    if (d.maxAliases < 0)
        return Error::invalid(u"max_aliases"_s, u"max_aliases cannot be negative"_s);
    if (d.quotaMib < 0 || d.defaultQuotaMib < 0 || d.maxQuotaMib < 0)
        return Error::invalid(u"quota_mib"_s, u"quotas cannot be negative"_s);
    if (d.maxQuotaMib > 0 && d.defaultQuotaMib > d.maxQuotaMib)
        return Error::invalid(
            u"default_quota_mib"_s,
            u"default_quota_mib (%1) exceeds max_quota_mib (%2)"_s.arg(d.defaultQuotaMib).arg(d.maxQuotaMib));
    if (d.quotaMib > 0 && d.defaultQuotaMib > d.quotaMib)
        return Error::invalid(
            u"default_quota_mib"_s,
            u"default_quota_mib (%1) exceeds the domain quota (%2)"_s.arg(d.defaultQuotaMib).arg(d.quotaMib));
    if (d.quotaMib > 0 && d.maxQuotaMib > d.quotaMib)
        return Error::invalid(u"max_quota_mib"_s,
                              u"max_quota_mib (%1) exceeds the domain quota (%2)"_s.arg(d.maxQuotaMib).arg(d.quotaMib));
    if (!previous)
        return {};
    if (d.maxMailboxes > 0 && d.maxMailboxes < previous->mailboxCount)
        return Error::invalid(u"max_mailboxes"_s, u"the domain already has %1 mailboxes"_s.arg(previous->mailboxCount));
    if (d.maxAliases > 0 && d.maxAliases < previous->aliasCount)
        return Error::invalid(u"max_aliases"_s, u"the domain already has %1 aliases"_s.arg(previous->aliasCount));
    if (d.quotaMib > 0 && d.quotaMib < previous->allocatedQuotaMib)
        return Error::invalid(
            u"quota_mib"_s, u"its mailboxes already have %1 MiB of quota allocated"_s.arg(previous->allocatedQuotaMib));
    return {};
}

Result<Domain> DomainStore::create(const DomainInput& input) const
{
    const auto name = normalizedName(input.name);
    if (!name)
        return name.error();
    const auto existing = m_queries.domainId(*name);
    if (!existing)
        return existing.error();
    if (*existing != 0)
        return Error::conflict(u"domain %1 already exists"_s.arg(*name), u"name"_s);
    const auto aliasTarget = m_queries.domainAliasTarget(*name);
    if (!aliasTarget)
        return aliasTarget.error();
    if (!aliasTarget->isEmpty())
        return Error::conflict(u"%1 is already a domain alias of %2"_s.arg(*name, *aliasTarget), u"name"_s);

    Domain domain;
    domain.name = *name;
    applyInput(domain, input);
    if (const Status valid = validate(domain, nullptr); !valid)
        return valid.error();
    QStringList postmaster;
    if (input.postmaster && !input.postmaster->isEmpty())
    {
        const auto parsed = AddressRules::parseDestinations({*input.postmaster}, u"postmaster"_s, false);
        if (!parsed)
            return parsed.error();
        postmaster = *parsed;
    }
    QStringList catchAll;
    if (input.catchAll)
    {
        const auto parsed = AddressRules::parseDestinations(*input.catchAll, u"catch_all"_s, true);
        if (!parsed)
            return parsed.error();
        catchAll = *parsed;
    }

    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = nowSeconds();
    const auto inserted =
        db.run(u"INSERT INTO domains (name, description, active, max_mailboxes, max_aliases, quota_mib, "
               "default_quota_mib, max_quota_mib, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
               {domain.name, domain.description, domain.active, domain.maxMailboxes, domain.maxAliases, domain.quotaMib,
                domain.defaultQuotaMib, domain.maxQuotaMib, now, now});
    if (!inserted)
        return inserted.error();
    const auto id = m_queries.domainId(domain.name);
    if (!id)
        return id.error();
    for (const QString& local : systemAliases())
    {
        const auto alias =
            db.run(u"INSERT INTO aliases (domain_id, local_part, active, is_system, created_at, updated_at) "
                   "VALUES (?, ?, 1, 1, ?, ?)"_s,
                   {*id, local, now, now});
        if (!alias)
            return alias.error();
        auto aliasId = db.run(u"SELECT id FROM aliases WHERE domain_id = ? AND local_part = ?"_s, {*id, local});
        if (!aliasId)
            return aliasId.error();
        aliasId->next();
        if (const Status s = m_queries.replaceAddressList(u"alias_destinations"_s, u"alias_id"_s,
                                                          aliasId->value(0).toLongLong(), postmaster);
            !s)
            return s.error();
    }
    if (const Status s = m_queries.replaceAddressList(u"catch_all_destinations"_s, u"domain_id"_s, *id, catchAll); !s)
        return s.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(domain.name);
}

Result<Domain> DomainStore::update(const DomainInput& input) const
{
    const auto previous = get(input.name);
    if (!previous)
        return previous.error();
    Domain domain = *previous;
    applyInput(domain, input);
    if (const Status valid = validate(domain, &*previous); !valid)
        return valid.error();

    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const auto updated =
        db.run(u"UPDATE domains SET description = ?, active = ?, max_mailboxes = ?, max_aliases = ?, "
               "quota_mib = ?, default_quota_mib = ?, max_quota_mib = ?, updated_at = ? WHERE id = ?"_s,
               {domain.description, domain.active, domain.maxMailboxes, domain.maxAliases, domain.quotaMib,
                domain.defaultQuotaMib, domain.maxQuotaMib, nowSeconds(), domain.id});
    if (!updated)
        return updated.error();
    if (input.postmaster)
    {
        const auto parsed = AddressRules::parseDestinations({*input.postmaster}, u"postmaster"_s, false);
        if (!parsed)
            return parsed.error();
        auto ids = db.run(u"SELECT id FROM aliases WHERE domain_id = ? AND is_system = 1"_s, {domain.id});
        if (!ids)
            return ids.error();
        while (ids->next())
        {
            if (const Status s = m_queries.replaceAddressList(u"alias_destinations"_s, u"alias_id"_s,
                                                              ids->value(0).toLongLong(), *parsed);
                !s)
                return s.error();
        }
    }
    if (input.catchAll)
    {
        const auto parsed = AddressRules::parseDestinations(*input.catchAll, u"catch_all"_s, true);
        if (!parsed)
            return parsed.error();
        if (const Status s =
                m_queries.replaceAddressList(u"catch_all_destinations"_s, u"domain_id"_s, domain.id, *parsed);
            !s)
            return s.error();
    }
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(domain.name);
}

Status DomainStore::remove(const QString& name) const
{
    const auto domain = get(name);
    if (!domain)
        return domain.error();
    if (domain->mailboxCount > 0)
        return Error::conflict(
            u"domain %1 still has %2 mailboxes; remove them first"_s.arg(domain->name).arg(domain->mailboxCount));
    const auto removed = m_context.database.run(u"DELETE FROM domains WHERE id = ?"_s, {domain->id});
    if (!removed)
        return removed.error();
    return {};
}

} // namespace promail
