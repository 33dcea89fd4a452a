#pragma once

#include "directory/addressgrouptable.h"
#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

namespace promail
{

// Aliases, exact or wildcard ('*' in the local part). An exact alias may not shadow a mailbox
// or a list; the system aliases postmaster@ and abuse@ can be pointed elsewhere, not removed.
class AliasStore
{
public:
    explicit AliasStore(const DirectoryContext& context);

    Result<Page<Alias>> list(const QString& domain, const PageRequest& request) const;
    Result<Alias> get(const QString& address) const;
    Result<Alias> create(const AliasInput& input) const;
    Result<Alias> update(const AliasInput& input) const;
    Status remove(const QString& address) const;

    // Active wildcard aliases of a domain, most specific (most literal characters) first.
    Result<QList<Alias>> wildcards(qint64 domainId) const;

private:
    AddressGroupTable<Alias> m_table;
};

} // namespace promail
