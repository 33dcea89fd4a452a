// AdminService: DKIM keys (docs/admin-api.md "dkim"). Private keys never leave the server: every
// result carries the public TXT record only, and dkim.import's private_key is redacted in logs.
#include "admin/adminservice.h"
#include "admin/params.h"
#include "core/logging.h"
#include "directory/domainstore.h"
#include "queue/dkimkeystore.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// The fixed shape of issue 5: record_value unsplit (publishing tools split it into 255-byte strings).
QJsonObject toJson(const DkimKeyRecord& key)
{
    return {{u"selector"_s, key.selector},
            {u"algorithm"_s, dkimAlgorithmName(key.algorithm)},
            {u"record_name"_s, key.recordName()},
            {u"record_value"_s, key.recordValue},
            {u"active"_s, key.active}};
}

Result<QJsonValue> json(const Result<DkimKeyRecord>& key)
{
    if (!key)
        return key.error();
    QJsonObject object = toJson(*key);
    object.insert(u"domain"_s, key->domain);
    return QJsonValue(object);
}

std::optional<DkimAlgorithm> readAlgorithm(Params& p)
{
    const auto name = p.choice(u"algorithm"_s, {u"rsa"_s, u"ed25519"_s});
    if (!name)
        return std::nullopt;
    return *name == u"ed25519"_s ? DkimAlgorithm::Ed25519 : DkimAlgorithm::Rsa;
}

struct KeyRequest
{
    QString domain;
    QString selector;
    std::optional<DkimAlgorithm> algorithm;
    std::optional<int> bits;
    QByteArray privateKey;
};

using Call = std::function<Result<QJsonValue>(const DkimKeyStore&, const KeyRequest&)>;

// Reads the request, resolves the domain (IDN, case, domain alias refused) to its A-label, then calls.
std::function<Result<QJsonValue>(Params&)> operation(const DirectoryContext& directory, const DkimKeyStore& keys,
                                                     const std::function<void(Params&, KeyRequest&)>& read, Call call)
{
    return [&directory, &keys, read, call](Params& p) -> Result<QJsonValue>
    {
        KeyRequest request;
        request.domain = p.required(u"domain"_s);
        read(p, request);
        if (const Status s = p.finish(); !s)
            return s.error();
        const auto domain = DomainStore(directory).get(request.domain);
        if (!domain)
            return domain.error();
        request.domain = domain->name;
        return call(keys, request);
    };
}

void readSelector(Params& p, KeyRequest& request)
{
    request.selector = p.required(u"selector"_s).toLower();
}

void readKind(Params& p, KeyRequest& request)
{
    request.algorithm = readAlgorithm(p);
    if (const auto bits = p.integer(u"bits"_s, DkimKey::kMinRsaBits, DkimKey::kMaxRsaBits))
        request.bits = int(*bits);
}

Status checkBits(const KeyRequest& request)
{
    if (request.bits && request.algorithm == DkimAlgorithm::Ed25519)
        return Error::invalid(u"bits"_s, u"bits applies to RSA keys only; Ed25519 keys have one size"_s);
    return {};
}
} // namespace

void AdminService::addDkimOperations()
{
    const DirectoryContext& directory = m_context.directory;
    const DkimKeyStore& keys = *m_context.dkimKeys;
    const auto none = [](Params&, KeyRequest&) {
    };

    add(u"dkim.show"_s, {false,
                         {},
                         operation(directory, keys, none,
                                   [](const DkimKeyStore& store, const KeyRequest& r) -> Result<QJsonValue>
                                   {
                                       const auto list = store.list(r.domain);
                                       if (!list)
                                           return list.error();
                                       QJsonArray items;
                                       for (const DkimKeyRecord& key : *list)
                                           items.append(toJson(key));
                                       return QJsonValue(items);
                                   })});
    add(u"dkim.generate"_s,
        {true, u"domain"_s,
         operation(directory, keys, readKind,
                   [](const DkimKeyStore& store, const KeyRequest& r) -> Result<QJsonValue>
                   {
                       if (const Status s = checkBits(r); !s)
                           return s.error();
                       return json(store.generate(r.domain, r.algorithm.value_or(DkimAlgorithm::Rsa),
                                                  r.bits.value_or(DkimKey::kDefaultRsaBits)));
                   })});
    add(u"dkim.rotate"_s, {true, u"domain"_s,
                           operation(directory, keys, readKind,
                                     [](const DkimKeyStore& store, const KeyRequest& r) -> Result<QJsonValue>
                                     {
                                         if (const Status s = checkBits(r); !s)
                                             return s.error();
                                         return json(store.rotate(r.domain, r.algorithm, r.bits));
                                     })});
    add(u"dkim.import"_s, {true, u"domain"_s,
                           operation(
                               directory, keys,
                               [](Params& p, KeyRequest& r)
                               {
                                   readSelector(p, r);
                                   r.privateKey = p.required(u"private_key"_s).toUtf8();
                               },
                               [](const DkimKeyStore& store, const KeyRequest& r)
                               { return json(store.importKey(r.domain, r.selector, r.privateKey)); })});
    add(u"dkim.retire"_s, {true, u"domain"_s,
                           operation(directory, keys, readSelector,
                                     [](const DkimKeyStore& store, const KeyRequest& r)
                                     { return json(store.retire(r.domain, r.selector)); })});
    add(u"dkim.delete"_s, {true, u"domain"_s,
                           operation(directory, keys, readSelector,
                                     [](const DkimKeyStore& store, const KeyRequest& r) -> Result<QJsonValue>
                                     {
                                         if (const Status s = store.remove(r.domain, r.selector); !s)
                                             return s.error();
                                         return QJsonValue(QJsonObject{{u"deleted"_s, true}});
                                     })});

    // A new domain signs from the start: RSA 2048 (seed 001 "generates a DKIM key pair for each
    // domain"); a deleted domain's key files go with it.
    Operation& create = m_operations[u"domains.create"_s];
    create.run = [&keys, run = create.run](Params& p) -> Result<QJsonValue>
    {
        auto result = run(p);
        if (!result)
            return result;
        const QString domain = result->toObject().value(u"name"_s).toString();
        if (const auto key = keys.generate(domain, DkimAlgorithm::Rsa, DkimKey::kDefaultRsaBits); !key)
            qCWarning(lcAdmin).noquote() << "domain" << domain << "has no DKIM key:" << key.error().message;
        return result;
    };
    Operation& remove = m_operations[u"domains.delete"_s];
    remove.run = [&keys, &directory, run = remove.run](Params& p) -> Result<QJsonValue>
    {
        const auto domain = DomainStore(directory).get(p.value(u"name"_s).value_or(QJsonValue()).toString());
        const auto existing = domain ? keys.list(domain->name) : Result<QList<DkimKeyRecord>>(domain.error());
        auto result = run(p);
        if (result && existing)
            keys.removeKeyFiles(*existing);
        return result;
    };
}

} // namespace promail
