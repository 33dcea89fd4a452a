#include "directory/liststore.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
void readListColumns(MailingList& list, const QSqlQuery& row, int firstColumn)
{
    list.description = row.value(firstColumn).toString();
    list.membersOnly = row.value(firstColumn + 1).toBool();
}

const AddressGroupTable<MailingList>::Schema kSchema{
    .kind = AddressKind::List,
    .noun = u"list"_s,
    .table = u"lists"_s,
    .alias = u"l"_s,
    .extraColumns = u"l.description, l.members_only"_s,
    .searchColumn = u"LOWER(l.description)"_s,
    .addressTable = u"list_members"_s,
    .keyColumn = u"list_id"_s,
    .addressField = u"members"_s,
    .selfError = u"a list cannot be a member of itself"_s,
    .addresses = &MailingList::members,
    .readExtraColumns = readListColumns,
};
} // namespace

ListStore::ListStore(const DirectoryContext& context) : m_table(context, kSchema)
{
}

Result<Page<MailingList>> ListStore::list(const QString& domain, const PageRequest& request) const
{
    return m_table.list(domain, request);
}

Result<MailingList> ListStore::get(const QString& address) const
{
    return m_table.get(address);
}

Result<MailingList> ListStore::create(const MailingListInput& input) const
{
    const auto target = m_table.claim(input.address);
    if (!target)
        return target.error();
    const auto members = m_table.checkedAddresses(input.members.value_or(QStringList()), target->address.toString());
    if (!members)
        return members.error();
    return m_table.insert(
        *target, *members, u"description, members_only, active"_s,
        {input.description.value_or(QString()), input.membersOnly.value_or(false), input.active.value_or(true)});
}

Result<MailingList> ListStore::update(const MailingListInput& input) const
{
    const auto list = get(input.address);
    if (!list)
        return list.error();
    const auto members = m_table.checkedAddresses(input.members, list->address());
    if (!members)
        return members.error();
    return m_table.update(*list, *members, u"description = ?, members_only = ?, active = ?"_s,
                          {input.description.value_or(list->description), input.membersOnly.value_or(list->membersOnly),
                           input.active.value_or(list->active)});
}

Status ListStore::remove(const QString& address) const
{
    const auto list = get(address);
    if (!list)
        return list.error();
    return m_table.remove(*list);
}

} // namespace promail
