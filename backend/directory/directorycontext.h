#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QDateTime>
#include <QStringList>

namespace promail
{

class Database;
class SettingsStore;

// What every part of the mail directory works with: the database, the settings and data_dir.
struct DirectoryContext
{
    const Database& database;
    const SettingsStore& settings;
    DataPaths paths;
};

// Which kind of record owns an exact address in a domain.
enum class AddressOwner
{
    None,
    Mailbox,
    List,
    Alias,
};

// Queries shared by the stores and the resolver.
class DirectoryQueries
{
public:
    explicit DirectoryQueries(const Database& database) : m_database(database) {}

    // Id of the domain called `name` (A-label), or 0 when there is none.
    Result<qint64> domainId(const QString& name) const;
    // Target domain name of an active domain alias, empty when `name` is not one.
    Result<QString> domainAliasTarget(const QString& name, bool* inactive = nullptr) const;
    Result<AddressOwner> ownerOf(qint64 domainId, const QString& localPart) const;
    Result<QStringList> addressList(const QString& table, const QString& keyColumn, qint64 key) const;
    Status replaceAddressList(const QString& table, const QString& keyColumn, qint64 key,
                              const QStringList& addresses) const;

private:
    const Database& m_database;
};

inline qint64 nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

inline QDateTime fromSeconds(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

// "a mailbox", "a list", "an alias": for messages.
QString ownerName(AddressOwner owner);

} // namespace promail
