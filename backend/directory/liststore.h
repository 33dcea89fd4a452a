#pragma once

#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

namespace promail
{

// Mailing lists / groups: an address whose mail goes to every member, optionally accepted only
// from members.
class ListStore
{
public:
    explicit ListStore(const DirectoryContext& context) : m_context(context), m_queries(context.database) {}

    Result<Page<MailingList>> list(const QString& domain, const PageRequest& request) const;
    Result<MailingList> get(const QString& address) const;
    Result<MailingList> create(const MailingListInput& input) const;
    Result<MailingList> update(const MailingListInput& input) const;
    Status remove(const QString& address) const;

private:
    Result<QList<MailingList>> load(const QString& whereClause, const QVariantList& bindings) const;
    Result<QStringList> checkedMembers(const QStringList& input, const QString& self) const;

    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
};

} // namespace promail
