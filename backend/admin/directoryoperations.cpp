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
using Run = std::function<Result<QJsonValue>(Params&)>;

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

// The shape of every directory operation: read the parameters, refuse unknown or malformed ones
// (Params::finish), and only then call the store with what was read.
template <typename Read, typename Call>
Run operation(Read read, Call call)
{
    return [read, call](Params& p) -> Result<QJsonValue>
    {
        const auto input = read(p);
        if (const Status s = p.finish(); !s)
            return s.error();
        return call(input);
    };
}

// Reads the parameter that names one record ("name", "address").
auto requiredKey(const QString& key)
{
    return [key](Params& p)
    {
        return p.required(key);
    };
}

// The page filter of the stores that can list one domain's addresses.
struct DomainPage
{
    QString domain;
    PageRequest page;
};

DomainPage readDomainPage(Params& p)
{
    DomainPage request;
    request.domain = p.string(u"domain"_s).value_or(QString());
    request.page = codec::readPage(p);
    return request;
}

// One record by its name or address: a store's get(), the resolver's resolve().
template <typename Store, typename Record>
Run lookupOperation(const DirectoryContext& ctx, const QString& key,
                    Result<Record> (Store::*find)(const QString&) const)
{
    return operation(requiredKey(key), [&ctx, find](const QString& name) { return json((Store(ctx).*find)(name)); });
}

// create() or update() with the record's parameters, as its codec reads them.
template <typename Store, typename Input, typename Record>
Run writeOperation(const DirectoryContext& ctx, Input (*read)(Params&),
                   Result<Record> (Store::*write)(const Input&) const)
{
    return operation(read, [&ctx, write](const Input& input) { return json((Store(ctx).*write)(input)); });
}

// <resource>.list: mailboxes, aliases and lists can be listed for one domain.
template <typename Store>
Run listOperation(const DirectoryContext& ctx)
{
    if constexpr (requires(const Store& store, const PageRequest& page) { store.list(QString(), page); })
        return operation(readDomainPage,
                         [&ctx](const DomainPage& in) { return jsonPage(Store(ctx).list(in.domain, in.page)); });
    else
        return operation(codec::readPage, [&ctx](const PageRequest& page) { return jsonPage(Store(ctx).list(page)); });
}

// The five operations of one kind of record: <resource>.list, .get, .create, .update, .delete.
struct Resource
{
    QString key; // the parameter that names a record, and the event log's target
    Run list;
    Run get;
    Run create;
    Run update;
    Run remove;
};

template <typename Store, typename Input>
Resource resource(const DirectoryContext& ctx, const QString& key, Input (*read)(Params&))
{
    Resource r{.key = key,
               .list = listOperation<Store>(ctx),
               .get = lookupOperation(ctx, key, &Store::get),
               .create = writeOperation(ctx, read, &Store::create),
               .update = writeOperation(ctx, read, &Store::update),
               .remove = {}};
    // Where remove() wants more than the key (mailboxes: keep_mail), the caller sets .remove.
    if constexpr (requires(const Store& store) { store.remove(QString()); })
        r.remove =
            operation(requiredKey(key), [&ctx](const QString& name) { return deleted(Store(ctx).remove(name)); });
    return r;
}

// A new domain alias needs its target; an update may leave it as it is.
DomainAliasInput readNewDomainAlias(Params& p)
{
    DomainAliasInput input = codec::readDomainAlias(p);
    if (!input.target)
        input.target = p.required(u"target"_s);
    return input;
}

Run removeMailbox(const DirectoryContext& ctx)
{
    return [&ctx](Params& p) -> Result<QJsonValue>
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
    };
}
} // namespace

void AdminService::addDirectoryOperations()
{
    const DirectoryContext& ctx = m_context.directory;
    const auto addResource = [this](const QString& name, const Resource& r)
    {
        Q_ASSERT(r.list && r.get && r.create && r.update && r.remove);
        add(name + u".list"_s, {false, {}, r.list});
        add(name + u".get"_s, {false, {}, r.get});
        add(name + u".create"_s, {true, r.key, r.create});
        add(name + u".update"_s, {true, r.key, r.update});
        add(name + u".delete"_s, {true, r.key, r.remove});
    };

    addResource(u"domains"_s, resource<DomainStore>(ctx, u"name"_s, codec::readDomain));

    Resource domainAliases = resource<DomainAliasStore>(ctx, u"name"_s, codec::readDomainAlias);
    domainAliases.create = writeOperation(ctx, readNewDomainAlias, &DomainAliasStore::create);
    addResource(u"domain_aliases"_s, domainAliases);

    Resource mailboxes = resource<MailboxStore>(ctx, u"address"_s, codec::readMailbox);
    mailboxes.remove = removeMailbox(ctx);
    addResource(u"mailboxes"_s, mailboxes);

    addResource(u"aliases"_s, resource<AliasStore>(ctx, u"address"_s, codec::readAlias));
    addResource(u"lists"_s, resource<ListStore>(ctx, u"address"_s, codec::readList));

    // Recipient resolution: what the SMTP server will do with an address.
    add(u"directory.resolve"_s, {false, {}, lookupOperation(ctx, u"address"_s, &RecipientResolver::resolve)});
}

} // namespace promail
