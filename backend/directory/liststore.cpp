#include "directory/liststore.h"

#include "directory/addressrules.h"
#include "directory/domainstore.h"
#include "storage/database.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSelect = u"SELECT l.id, l.local_part, d.name, l.description, l.members_only, l.active, l.created_at, "
                        "l.updated_at FROM lists l JOIN domains d ON d.id = l.domain_id "_s;
}

Result<QList<MailingList>> ListStore::load(const QString& whereClause, const QVariantList& bindings) const
{
    auto query = m_context.database.run(kSelect + whereClause, bindings);
    if (!query)
        return query.error();
    QList<MailingList> lists;
    while (query->next())
    {
        MailingList list;
        list.id = query->value(0).toLongLong();
        list.localPart = query->value(1).toString();
        list.domain = query->value(2).toString();
        list.description = query->value(3).toString();
        list.membersOnly = query->value(4).toBool();
        list.active = query->value(5).toBool();
        list.createdAt = fromSeconds(query->value(6).toLongLong());
        list.updatedAt = fromSeconds(query->value(7).toLongLong());
        lists.append(list);
    }
    for (MailingList& list : lists)
    {
        const auto members = m_queries.addressList(u"list_members"_s, u"list_id"_s, list.id);
        if (!members)
            return members.error();
        list.members = *members;
    }
    return lists;
}

Result<Page<MailingList>> ListStore::list(const QString& domain, const PageRequest& request) const
{
    QString where = u"WHERE (l.local_part || '@' || d.name) > ?"_s;
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
        where +=
            u" AND ((l.local_part || '@' || d.name) LIKE ? ESCAPE '\\' OR LOWER(l.description) LIKE ? ESCAPE '\\')"_s;
        bindings << likePattern(request.query) << likePattern(request.query);
    }
    auto rows = load(where + u" ORDER BY l.local_part || '@' || d.name LIMIT ?"_s, bindings << request.limit + 1);
    if (!rows)
        return rows.error();
    return makePage(std::move(*rows), request.limit, [](const MailingList& l) { return l.address(); });
}

Result<MailingList> ListStore::get(const QString& address) const
{
    const auto parsed = AddressRules::parse(address, AddressKind::List, u"address"_s);
    if (!parsed)
        return parsed.error();
    const auto rows = load(u"WHERE d.name = ? AND l.local_part = ?"_s, {parsed->domain, parsed->localPart});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error::notFound(u"there is no list %1"_s.arg(parsed->toString()));
    return rows->first();
}

Result<QStringList> ListStore::checkedMembers(const QStringList& input, const QString& self) const
{
    auto members = AddressRules::parseDestinations(input, u"members"_s, false);
    if (!members)
        return members;
    if (members->contains(self, Qt::CaseInsensitive))
        return Error::invalid(u"members"_s, u"a list cannot be a member of itself"_s);
    return members;
}

Result<MailingList> ListStore::create(const MailingListInput& input) const
{
    const auto address = AddressRules::parse(input.address, AddressKind::List, u"address"_s);
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
    const auto members = checkedMembers(input.members.value_or(QStringList()), address->toString());
    if (!members)
        return members.error();

    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = nowSeconds();
    const auto inserted = db.run(u"INSERT INTO lists (domain_id, local_part, description, members_only, active, "
                                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                                 {domain->id, address->localPart, input.description.value_or(QString()),
                                  input.membersOnly.value_or(false), input.active.value_or(true), now, now});
    if (!inserted)
        return inserted.error();
    auto id =
        db.run(u"SELECT id FROM lists WHERE domain_id = ? AND local_part = ?"_s, {domain->id, address->localPart});
    if (!id || !id->next())
        return Error::internal(u"the new list vanished"_s);
    if (const Status s =
            m_queries.replaceAddressList(u"list_members"_s, u"list_id"_s, id->value(0).toLongLong(), *members);
        !s)
        return s.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(address->toString());
}

Result<MailingList> ListStore::update(const MailingListInput& input) const
{
    const auto list = get(input.address);
    if (!list)
        return list.error();
    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    if (input.members)
    {
        const auto members = checkedMembers(*input.members, list->address());
        if (!members)
            return members.error();
        if (const Status s = m_queries.replaceAddressList(u"list_members"_s, u"list_id"_s, list->id, *members); !s)
            return s.error();
    }
    const auto updated =
        db.run(u"UPDATE lists SET description = ?, members_only = ?, active = ?, updated_at = ? "
               "WHERE id = ?"_s,
               {input.description.value_or(list->description), input.membersOnly.value_or(list->membersOnly),
                input.active.value_or(list->active), nowSeconds(), list->id});
    if (!updated)
        return updated.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(list->address());
}

Status ListStore::remove(const QString& address) const
{
    const auto list = get(address);
    if (!list)
        return list.error();
    const auto removed = m_context.database.run(u"DELETE FROM lists WHERE id = ?"_s, {list->id});
    if (!removed)
        return removed.error();
    return {};
}

} // namespace promail
