// AdminService: the mail directory's operations (domains, domain aliases, mailboxes, aliases,
// lists, recipient resolution).
#include "admin/adminservice.h"
#include "admin/directorycodec.h"
#include "directory/aliasstore.h"
#include "directory/domainaliasstore.h"
#include "directory/domainstore.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directory/recipientresolver.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Converts a store's typed result to its wire form.
template <typename T>
Result<QJsonValue> json(const Result<T>& result)
{
    if (!result)
        return result.error();
    if constexpr (std::is_same_v<T, QJsonObject>)
        return QJsonValue(*result);
    else
        return QJsonValue(codec::toJson(*result));
}

template <typename T>
Result<QJsonValue> jsonPage(const Result<Page<T>>& result)
{
    if (!result)
        return result.error();
    return QJsonValue(codec::pageToJson(*result));
}

Result<QJsonValue> deleted(const Status& status)
{
    if (!status)
        return status.error();
    return QJsonValue(QJsonObject{{u"deleted"_s, true}});
}
} // namespace

void AdminService::addDirectoryOperations()
{
    const DirectoryContext& ctx = m_context.directory;

    // --- domains ---
    add(u"domains.list"_s, {false,
                            {},
                            [&ctx](Params& p) -> Result<QJsonValue>
                            {
                                const PageRequest page = codec::readPage(p);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                return jsonPage(DomainStore(ctx).list(page));
                            }});
    add(u"domains.get"_s, {false,
                           {},
                           [&ctx](Params& p) -> Result<QJsonValue>
                           {
                               const QString name = p.required(u"name"_s);
                               if (const Status s = p.finish(); !s)
                                   return s.error();
                               return json(DomainStore(ctx).get(name));
                           }});
    add(u"domains.create"_s, {true, u"name"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const DomainInput input = codec::readDomain(p);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return json(DomainStore(ctx).create(input));
                              }});
    add(u"domains.update"_s, {true, u"name"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const DomainInput input = codec::readDomain(p);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return json(DomainStore(ctx).update(input));
                              }});
    add(u"domains.delete"_s, {true, u"name"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const QString name = p.required(u"name"_s);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return deleted(DomainStore(ctx).remove(name));
                              }});

    // --- domain aliases ---
    add(u"domain_aliases.list"_s, {false,
                                   {},
                                   [&ctx](Params& p) -> Result<QJsonValue>
                                   {
                                       const PageRequest page = codec::readPage(p);
                                       if (const Status s = p.finish(); !s)
                                           return s.error();
                                       return jsonPage(DomainAliasStore(ctx).list(page));
                                   }});
    add(u"domain_aliases.get"_s, {false,
                                  {},
                                  [&ctx](Params& p) -> Result<QJsonValue>
                                  {
                                      const QString name = p.required(u"name"_s);
                                      if (const Status s = p.finish(); !s)
                                          return s.error();
                                      return json(DomainAliasStore(ctx).get(name));
                                  }});
    add(u"domain_aliases.create"_s, {true, u"name"_s,
                                     [&ctx](Params& p) -> Result<QJsonValue>
                                     {
                                         DomainAliasInput input = codec::readDomainAlias(p);
                                         if (!input.target)
                                             input.target = p.required(u"target"_s);
                                         if (const Status s = p.finish(); !s)
                                             return s.error();
                                         return json(DomainAliasStore(ctx).create(input));
                                     }});
    add(u"domain_aliases.update"_s, {true, u"name"_s,
                                     [&ctx](Params& p) -> Result<QJsonValue>
                                     {
                                         const DomainAliasInput input = codec::readDomainAlias(p);
                                         if (const Status s = p.finish(); !s)
                                             return s.error();
                                         return json(DomainAliasStore(ctx).update(input));
                                     }});
    add(u"domain_aliases.delete"_s, {true, u"name"_s,
                                     [&ctx](Params& p) -> Result<QJsonValue>
                                     {
                                         const QString name = p.required(u"name"_s);
                                         if (const Status s = p.finish(); !s)
                                             return s.error();
                                         return deleted(DomainAliasStore(ctx).remove(name));
                                     }});

    // --- mailboxes ---
    add(u"mailboxes.list"_s, {false,
                              {},
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const QString domain = p.string(u"domain"_s).value_or(QString());
                                  const PageRequest page = codec::readPage(p);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return jsonPage(MailboxStore(ctx).list(domain, page));
                              }});
    add(u"mailboxes.get"_s, {false,
                             {},
                             [&ctx](Params& p) -> Result<QJsonValue>
                             {
                                 const QString address = p.required(u"address"_s);
                                 if (const Status s = p.finish(); !s)
                                     return s.error();
                                 return json(MailboxStore(ctx).get(address));
                             }});
    add(u"mailboxes.create"_s, {true, u"address"_s,
                                [&ctx](Params& p) -> Result<QJsonValue>
                                {
                                    const MailboxInput input = codec::readMailbox(p);
                                    if (const Status s = p.finish(); !s)
                                        return s.error();
                                    return json(MailboxStore(ctx).create(input));
                                }});
    add(u"mailboxes.update"_s, {true, u"address"_s,
                                [&ctx](Params& p) -> Result<QJsonValue>
                                {
                                    const MailboxInput input = codec::readMailbox(p);
                                    if (const Status s = p.finish(); !s)
                                        return s.error();
                                    return json(MailboxStore(ctx).update(input));
                                }});
    add(u"mailboxes.delete"_s,
        {true, u"address"_s,
         [&ctx](Params& p) -> Result<QJsonValue>
         {
             const QString address = p.required(u"address"_s);
             const auto keepMail = p.boolean(u"keep_mail"_s);
             if (const Status s = p.finish(); !s)
                 return s.error();
             if (!keepMail)
                 return Error::invalid(u"keep_mail"_s, u"say whether to keep the mailbox's mail (keep_mail true: "
                                                       "move it to the archive) or delete it (false)"_s);
             const auto removal = MailboxStore(ctx).remove(address, *keepMail);
             if (!removal)
                 return removal.error();
             return QJsonValue(QJsonObject{
                 {u"deleted"_s, true},
                 {u"archived_to"_s, removal->archivedTo.isEmpty() ? QJsonValue() : QJsonValue(removal->archivedTo)}});
         }});

    // --- aliases ---
    add(u"aliases.list"_s, {false,
                            {},
                            [&ctx](Params& p) -> Result<QJsonValue>
                            {
                                const QString domain = p.string(u"domain"_s).value_or(QString());
                                const PageRequest page = codec::readPage(p);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                return jsonPage(AliasStore(ctx).list(domain, page));
                            }});
    add(u"aliases.get"_s, {false,
                           {},
                           [&ctx](Params& p) -> Result<QJsonValue>
                           {
                               const QString address = p.required(u"address"_s);
                               if (const Status s = p.finish(); !s)
                                   return s.error();
                               return json(AliasStore(ctx).get(address));
                           }});
    add(u"aliases.create"_s, {true, u"address"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const AliasInput input = codec::readAlias(p);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return json(AliasStore(ctx).create(input));
                              }});
    add(u"aliases.update"_s, {true, u"address"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const AliasInput input = codec::readAlias(p);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return json(AliasStore(ctx).update(input));
                              }});
    add(u"aliases.delete"_s, {true, u"address"_s,
                              [&ctx](Params& p) -> Result<QJsonValue>
                              {
                                  const QString address = p.required(u"address"_s);
                                  if (const Status s = p.finish(); !s)
                                      return s.error();
                                  return deleted(AliasStore(ctx).remove(address));
                              }});

    // --- lists ---
    add(u"lists.list"_s, {false,
                          {},
                          [&ctx](Params& p) -> Result<QJsonValue>
                          {
                              const QString domain = p.string(u"domain"_s).value_or(QString());
                              const PageRequest page = codec::readPage(p);
                              if (const Status s = p.finish(); !s)
                                  return s.error();
                              return jsonPage(ListStore(ctx).list(domain, page));
                          }});
    add(u"lists.get"_s, {false,
                         {},
                         [&ctx](Params& p) -> Result<QJsonValue>
                         {
                             const QString address = p.required(u"address"_s);
                             if (const Status s = p.finish(); !s)
                                 return s.error();
                             return json(ListStore(ctx).get(address));
                         }});
    add(u"lists.create"_s, {true, u"address"_s,
                            [&ctx](Params& p) -> Result<QJsonValue>
                            {
                                const MailingListInput input = codec::readList(p);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                return json(ListStore(ctx).create(input));
                            }});
    add(u"lists.update"_s, {true, u"address"_s,
                            [&ctx](Params& p) -> Result<QJsonValue>
                            {
                                const MailingListInput input = codec::readList(p);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                return json(ListStore(ctx).update(input));
                            }});
    add(u"lists.delete"_s, {true, u"address"_s,
                            [&ctx](Params& p) -> Result<QJsonValue>
                            {
                                const QString address = p.required(u"address"_s);
                                if (const Status s = p.finish(); !s)
                                    return s.error();
                                return deleted(ListStore(ctx).remove(address));
                            }});

    // --- recipient resolution (what the SMTP server will do with an address) ---
    add(u"directory.resolve"_s, {false,
                                 {},
                                 [&ctx](Params& p) -> Result<QJsonValue>
                                 {
                                     const QString address = p.required(u"address"_s);
                                     if (const Status s = p.finish(); !s)
                                         return s.error();
                                     return json(RecipientResolver(ctx).resolve(address));
                                 }});
}

} // namespace promail
