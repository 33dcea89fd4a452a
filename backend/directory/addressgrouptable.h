#pragma once

#include "directory/addressrules.h"
#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

#include <optional>

class QSqlQuery;

namespace promail
{

// What aliases and mailing lists share: an address in one of our domains, an active flag and an
// ordered address list (destinations, members) in a side table. Each store describes its tables
// in a Schema and keeps its own rules (wildcards and system aliases; description, members_only).
// Instantiated for Alias and MailingList in addressgrouptable.cpp.
template <typename Record>
class AddressGroupTable
{
public:
    struct Schema
    {
        AddressKind kind;
        QString noun;         // "alias": "there is no alias …"
        QString table;        // "aliases"
        QString alias;        // the table's name in queries: "a"
        QString extraColumns; // selected after id, local_part, domain, active, created_at, updated_at
        QString searchColumn; // the page filter searches it besides the address; may be empty
        QString addressTable; // "alias_destinations"
        QString keyColumn;    // "alias_id"
        QString addressField; // API parameter of the address list: "destinations"
        QString selfError;    // why the address list may not hold the record's own address
        QStringList Record::*addresses;
        void (*readExtraColumns)(Record& record, const QSqlQuery& row, int firstColumn);
    };

    // An address no mailbox, list or alias owns yet, and its domain.
    struct NewAddress
    {
        LocalAddress address;
        Domain domain;
    };

    AddressGroupTable(const DirectoryContext& context, Schema schema);

    Result<QList<Record>> load(const QString& whereClause, const QVariantList& bindings) const;
    Result<Page<Record>> list(const QString& domain, const PageRequest& request) const;
    Result<Record> get(const QString& address) const;
    Result<NewAddress> claim(const QString& address) const;

    // Syntax (RFC 5321), domains as A-labels, and never the record's own address.
    Result<QStringList> checkedAddresses(const QStringList& input, const QString& self) const;
    // The same for an update, where no list means "leave the address list as is".
    Result<std::optional<QStringList>> checkedAddresses(const std::optional<QStringList>& input,
                                                        const QString& self) const;

    // `columns` and `values` are what the store sets besides domain, local part and times.
    Result<Record> insert(const NewAddress& target, const QStringList& addresses, const QString& columns,
                          const QVariantList& values) const;
    // `assignments` ("active = ?") and `values` are the store's own columns; updated_at is set here.
    Result<Record> update(const Record& record, const std::optional<QStringList>& addresses, const QString& assignments,
                          QVariantList values) const;
    Status remove(const Record& record) const;

private:
    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
    Schema m_schema;
};

} // namespace promail
