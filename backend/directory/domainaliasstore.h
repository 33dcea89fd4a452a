#pragma once

#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

namespace promail
{

// Domain aliases: mail to user@alias is mail to user@target.
class DomainAliasStore
{
public:
    explicit DomainAliasStore(const DirectoryContext& context) : m_context(context), m_queries(context.database) {}

    Result<Page<DomainAlias>> list(const PageRequest& request) const;
    Result<DomainAlias> get(const QString& name) const;
    Result<DomainAlias> create(const DomainAliasInput& input) const;
    Result<DomainAlias> update(const DomainAliasInput& input) const;
    Status remove(const QString& name) const;

private:
    Result<QList<DomainAlias>> load(const QString& whereClause, const QVariantList& bindings) const;
    Result<qint64> targetId(const QString& target) const;

    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
};

} // namespace promail
