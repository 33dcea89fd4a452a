#include "directory/addressgrouptable.h"

#include "directory/domainstore.h"
#include "storage/database.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr int kFirstExtraColumn = 6;
}

template <typename Record>
AddressGroupTable<Record>::AddressGroupTable(const DirectoryContext& context, Schema schema)
    : m_context(context), m_queries(context.database), m_schema(std::move(schema))
{
}

template <typename Record>
Result<QList<Record>> AddressGroupTable<Record>::load(const QString& whereClause, const QVariantList& bindings) const
{
    const QString select = u"SELECT %1.id, %1.local_part, d.name, %1.active, %1.created_at, %1.updated_at, %2 "
                           "FROM %3 %1 JOIN domains d ON d.id = %1.domain_id "_s.arg(
                               m_schema.alias, m_schema.extraColumns, m_schema.table);
    auto query = m_context.database.run(select + whereClause, bindings);
    if (!query)
        return query.error();
    QList<Record> records;
    while (query->next())
    {
        Record record;
        record.id = query->value(0).toLongLong();
        record.localPart = query->value(1).toString();
        record.domain = query->value(2).toString();
        record.active = query->value(3).toBool();
        record.createdAt = fromSeconds(query->value(4).toLongLong());
        record.updatedAt = fromSeconds(query->value(5).toLongLong());
        m_schema.readExtraColumns(record, *query, kFirstExtraColumn);
        records.append(record);
    }
    for (Record& record : records)
    {
        const auto addresses = m_queries.addressList(m_schema.addressTable, m_schema.keyColumn, record.id);
        if (!addresses)
            return addresses.error();
        record.*m_schema.addresses = *addresses;
    }
    return records;
}

template <typename Record>
Result<Page<Record>> AddressGroupTable<Record>::list(const QString& domain, const PageRequest& request) const
{
    // Pages are ordered by address; the cursor is the last address seen.
    const QString address = u"(%1.local_part || '@' || d.name)"_s.arg(m_schema.alias);
    QString where = u"WHERE "_s + address + u" > ?"_s;
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
        QString search = address + u" LIKE ? ESCAPE '\\'"_s;
        bindings << likePattern(request.query);
        if (!m_schema.searchColumn.isEmpty())
        {
            search += u" OR "_s + m_schema.searchColumn + u" LIKE ? ESCAPE '\\'"_s;
            bindings << likePattern(request.query);
        }
        where += u" AND ("_s + search + u")"_s;
    }
    auto rows = load(where + u" ORDER BY "_s + address + u" LIMIT ?"_s, bindings << request.limit + 1);
    if (!rows)
        return rows.error();
    return makePage(std::move(*rows), request.limit, [](const Record& r) { return r.address(); });
}

template <typename Record>
Result<Record> AddressGroupTable<Record>::get(const QString& address) const
{
    const auto parsed = AddressRules::parse(address, m_schema.kind, u"address"_s);
    if (!parsed)
        return parsed.error();
    const auto rows =
        load(u"WHERE d.name = ? AND %1.local_part = ?"_s.arg(m_schema.alias), {parsed->domain, parsed->localPart});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(u"there is no %1 %2"_s.arg(m_schema.noun, parsed->toString()));
    return rows->first();
}

template <typename Record>
Result<typename AddressGroupTable<Record>::NewAddress> AddressGroupTable<Record>::claim(const QString& address) const
{
    const auto parsed = AddressRules::parse(address, m_schema.kind, u"address"_s);
    if (!parsed)
        return parsed.error();
    const auto domain = DomainStore(m_context).get(parsed->domain);
    if (!domain)
        return domain.error();
    const auto owner = m_queries.ownerOf(domain->id, parsed->localPart);
    if (!owner)
        return owner.error();
    if (*owner != AddressOwner::None)
        return Error::conflict(u"%1 already exists as %2"_s.arg(parsed->toString(), ownerName(*owner)), u"address"_s);
    return NewAddress{*parsed, *domain};
}

template <typename Record>
Result<QStringList> AddressGroupTable<Record>::checkedAddresses(const QStringList& input, const QString& self) const
{
    auto addresses = AddressRules::parseDestinations(input, m_schema.addressField, false);
    if (!addresses)
        return addresses;
    if (addresses->contains(self, Qt::CaseInsensitive))
        return Error::invalid(m_schema.addressField, m_schema.selfError);
    return addresses;
}

template <typename Record>
Result<std::optional<QStringList>> AddressGroupTable<Record>::checkedAddresses(const std::optional<QStringList>& input,
                                                                               const QString& self) const
{
    if (!input)
        return std::optional<QStringList>();
    auto addresses = checkedAddresses(*input, self);
    if (!addresses)
        return addresses.error();
    return std::optional<QStringList>(std::move(addresses).value());
}

template <typename Record>
Result<Record> AddressGroupTable<Record>::insert(const NewAddress& target, const QStringList& addresses,
                                                 const QString& columns, const QVariantList& values) const
{
    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = nowSeconds();
    const QString placeholders = QStringList(values.size() + 4, u"?"_s).join(u", "_s);
    const auto inserted =
        db.run(u"INSERT INTO %1 (domain_id, local_part, %2, created_at, updated_at) VALUES (%3)"_s.arg(
                   m_schema.table, columns, placeholders),
               QVariantList{target.domain.id, target.address.localPart} + values + QVariantList{now, now});
    if (!inserted)
        return inserted.error();
    auto id = db.run(u"SELECT id FROM %1 WHERE domain_id = ? AND local_part = ?"_s.arg(m_schema.table),
                     {target.domain.id, target.address.localPart});
    if (!id || !id->next())
        return Error::internal(u"the new %1 vanished"_s.arg(m_schema.noun));
    if (const Status s = m_queries.replaceAddressList(m_schema.addressTable, m_schema.keyColumn,
                                                      id->value(0).toLongLong(), addresses);
        !s)
        return s.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(target.address.toString());
}

template <typename Record>
Result<Record> AddressGroupTable<Record>::update(const Record& record, const std::optional<QStringList>& addresses,
                                                 const QString& assignments, QVariantList values) const
{
    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    if (addresses)
    {
        if (const Status s =
                m_queries.replaceAddressList(m_schema.addressTable, m_schema.keyColumn, record.id, *addresses);
            !s)
            return s.error();
    }
    const auto updated = db.run(u"UPDATE %1 SET %2, updated_at = ? WHERE id = ?"_s.arg(m_schema.table, assignments),
                                values << nowSeconds() << record.id);
    if (!updated)
        return updated.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(record.address());
}

template <typename Record>
Status AddressGroupTable<Record>::remove(const Record& record) const
{
    // The address list goes with it (ON DELETE CASCADE).
    const auto removed = m_context.database.run(u"DELETE FROM %1 WHERE id = ?"_s.arg(m_schema.table), {record.id});
    if (!removed)
        return removed.error();
    return {};
}

template class AddressGroupTable<Alias>;
template class AddressGroupTable<MailingList>;

} // namespace promail
