#include "directory/directorycontext.h"

#include "storage/database.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

QString ownerName(AddressOwner owner)
{
    switch (owner)
    {
    case AddressOwner::Mailbox:
        return u"a mailbox"_s;
    case AddressOwner::List:
        return u"a list"_s;
    case AddressOwner::Alias:
        return u"an alias"_s;
    case AddressOwner::None:
        break;
    }
    return u"nothing"_s;
}

Result<qint64> DirectoryQueries::domainId(const QString& name) const
{
    auto query = m_database.run(u"SELECT id FROM domains WHERE name = ?"_s, {name});
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : qint64(0);
}

Result<QString> DirectoryQueries::domainAliasTarget(const QString& name, bool* inactive) const
{
    auto query = m_database.run(u"SELECT d.name, a.active FROM domain_aliases a JOIN domains d ON d.id = a.target_id "
                                "WHERE a.name = ?"_s,
                                {name});
    if (!query)
        return query.error();
    if (!query->next())
        return QString();
    if (inactive)
        *inactive = !query->value(1).toBool();
    return query->value(0).toString();
}

Result<AddressOwner> DirectoryQueries::ownerOf(qint64 domainId, const QString& localPart) const
{
    auto query = m_database.run(u"SELECT 1 FROM mailboxes WHERE domain_id = ? AND local_part = ? "
                                "UNION ALL SELECT 2 FROM lists WHERE domain_id = ? AND local_part = ? "
                                "UNION ALL SELECT 3 FROM aliases WHERE domain_id = ? AND local_part = ?"_s,
                                {domainId, localPart, domainId, localPart, domainId, localPart});
    if (!query)
        return query.error();
    if (!query->next())
        return AddressOwner::None;
    switch (query->value(0).toInt())
    {
    case 1:
        return AddressOwner::Mailbox;
    case 2:
        return AddressOwner::List;
    default:
        return AddressOwner::Alias;
    }
}

Result<QStringList> DirectoryQueries::addressList(const QString& table, const QString& keyColumn, qint64 key) const
{
    auto query =
        m_database.run(u"SELECT address FROM %1 WHERE %2 = ? ORDER BY position"_s.arg(table, keyColumn), {key});
    if (!query)
        return query.error();
    QStringList addresses;
    while (query->next())
        addresses.append(query->value(0).toString());
    return addresses;
}

Status DirectoryQueries::replaceAddressList(const QString& table, const QString& keyColumn, qint64 key,
                                            const QStringList& addresses) const
{
    if (const auto removed = m_database.run(u"DELETE FROM %1 WHERE %2 = ?"_s.arg(table, keyColumn), {key}); !removed)
        return removed.error();
    for (qsizetype i = 0; i < addresses.size(); ++i)
    {
        const auto inserted =
            m_database.run(u"INSERT INTO %1 (%2, position, address) VALUES (?, ?, ?)"_s.arg(table, keyColumn),
                           {key, int(i), addresses.at(i)});
        if (!inserted)
            return inserted.error();
    }
    return {};
}

} // namespace promail
