#pragma once

#include "directory/addressgrouptable.h"
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
    explicit ListStore(const DirectoryContext& context);

    Result<Page<MailingList>> list(const QString& domain, const PageRequest& request) const;
    Result<MailingList> get(const QString& address) const;
    Result<MailingList> create(const MailingListInput& input) const;
    Result<MailingList> update(const MailingListInput& input) const;
    Status remove(const QString& address) const;

private:
    AddressGroupTable<MailingList> m_table;
};

} // namespace promail
