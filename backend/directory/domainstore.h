#pragma once

#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

namespace promail
{

// Domains: validation and persistence. Each domain owns postmaster@ and abuse@ aliases
// (RFC 5321 §4.5.1, RFC 2142 §2) that point to the address the admin names.
class DomainStore
{
public:
    explicit DomainStore(const DirectoryContext& context) : m_context(context), m_queries(context.database) {}

    Result<Page<Domain>> list(const PageRequest& request) const;
    Result<Domain> get(const QString& name) const;
    Result<Domain> create(const DomainInput& input) const;
    Result<Domain> update(const DomainInput& input) const;
    Status remove(const QString& name) const;

    static const QStringList& systemAliases();

private:
    Result<Domain> load(const QString& whereClause, const QVariant& key) const;
    Status validate(const Domain& domain, const Domain* previous) const;

    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
};

} // namespace promail
