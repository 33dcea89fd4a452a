#include "queue/dkimkeystore.h"

#include "core/durablefile.h"
#include "queue/queuelogging.h"
#include "storage/database.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kColumns = u"d.name, k.selector, k.algorithm, k.bits, k.public_key, k.active, k.created_at"_s;

DkimKeyRecord recordFromRow(const QSqlQuery& row)
{
    DkimKeyRecord record;
    record.domain = row.value(0).toString();
    record.selector = row.value(1).toString();
    record.algorithm = row.value(2).toString() == u"ed25519"_s ? DkimAlgorithm::Ed25519 : DkimAlgorithm::Rsa;
    record.bits = row.value(3).toInt();
    record.recordValue = u"v=DKIM1; k="_s + dkimAlgorithmName(record.algorithm) + u"; p="_s + row.value(4).toString();
    record.active = row.value(5).toLongLong() != 0;
    record.createdAt = QDateTime::fromSecsSinceEpoch(row.value(6).toLongLong(), Qt::UTC);
    return record;
}

Error unknownKey(const QString& domain, const QString& selector)
{
    return Error::notFound(u"%1 has no DKIM key with selector %2"_s.arg(domain, selector));
}
} // namespace

DkimKeyStore::DkimKeyStore(const Database& database, const DataPaths& paths) : m_database(database), m_paths(paths)
{
}

bool DkimKeyStore::isValidSelector(const QString& selector)
{
    // RFC 6376 §3.1: selector = sub-domain *( "." sub-domain ); one DNS name of at most 253 bytes.
    static const QRegularExpression pattern(
        u"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"_s);
    return selector.size() <= 200 && pattern.match(selector).hasMatch();
}

QString DkimKeyStore::keyPath(const QString& domain, const QString& selector) const
{
    return m_paths.keys() + u"/dkim-"_s + selector + u"._domainkey."_s + domain + u".pem"_s;
}

Result<qint64> DkimKeyStore::domainId(const QString& domain) const
{
    auto query = m_database.run(u"SELECT id FROM domains WHERE name = ?"_s, {domain});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"there is no domain %1"_s.arg(domain));
    return query->value(0).toLongLong();
}

// Eight hex digits chosen once per server (one database, however many nodes): two servers
// signing for the same domain never pick the same selector (seed 001 "cloudron-<uniqueid>").
Result<QString> DkimKeyStore::serverId() const
{
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        {
            auto query = m_database.run(u"SELECT value FROM dkim_server_id WHERE id = 1"_s);
            if (!query)
                return query.error();
            if (query->next())
                return query->value(0).toString();
        }
        const QString id = u"%1"_s.arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
        // A concurrent first use inserts too: the loser's insert fails and it reads the winner's id.
        static_cast<void>(m_database.run(u"INSERT INTO dkim_server_id (id, value) VALUES (1, ?)"_s, {id}));
    }
    return Error::internal(u"cannot store the server's DKIM selector id"_s);
}

Result<QString> DkimKeyStore::newSelector(qint64 domainId, DkimAlgorithm algorithm) const
{
    const auto id = serverId();
    if (!id)
        return id.error();
    QString base = u"promail-"_s + *id + u'-' + QDateTime::currentDateTimeUtc().toString(u"yyyyMM"_s);
    if (algorithm == DkimAlgorithm::Ed25519)
        base += u"-ed25519"_s; // one TXT record per selector: the two algorithms need two names
    for (int n = 1; n < 1000; ++n)
    {
        const QString selector = n == 1 ? base : base + u'-' + QString::number(n);
        auto taken =
            m_database.run(u"SELECT 1 FROM dkim_keys WHERE domain_id = ? AND selector = ?"_s, {domainId, selector});
        if (!taken)
            return taken.error();
        if (!taken->next())
            return selector;
    }
    return Error::conflict(u"no free DKIM selector is left for this month"_s);
}

Result<DkimKeyRecord> DkimKeyStore::get(qint64 domainId, const QString& selector) const
{
    auto query = m_database.run(u"SELECT "_s + kColumns +
                                    u" FROM dkim_keys k JOIN domains d ON d.id = k.domain_id "
                                    "WHERE k.domain_id = ? AND k.selector = ?"_s,
                                {domainId, selector});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"there is no DKIM key with selector %1"_s.arg(selector));
    return recordFromRow(*query);
}

Result<QList<DkimKeyRecord>> DkimKeyStore::list(const QString& domain) const
{
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    auto query = m_database.run(u"SELECT "_s + kColumns +
                                    u" FROM dkim_keys k JOIN domains d ON d.id = k.domain_id "
                                    "WHERE k.domain_id = ? ORDER BY k.id"_s,
                                {*id});
    if (!query)
        return query.error();
    QList<DkimKeyRecord> records;
    while (query->next())
        records.append(recordFromRow(*query));
    return records;
}

Result<DkimKeyRecord> DkimKeyStore::store(qint64 domainId, const QString& domain, const QString& selector,
                                          const DkimKey& key) const
{
    const QByteArray pem = key.privateKeyPem();
    const QByteArray publicKey = key.publicKeyBase64();
    if (pem.isEmpty() || publicKey.isEmpty())
        return Error::internal(u"OpenSSL could not encode the DKIM key"_s);
    if (const Status made = makeDirectory(m_paths.keys(), 0700); !made)
        return made.error();
    // The file first: a row whose key is missing would be a key that cannot sign.
    const QString path = keyPath(domain, selector);
    if (const Status written = writeFileDurably(path, pem, 0600); !written)
        return written.error();
    const auto inserted = m_database.run(u"INSERT INTO dkim_keys (domain_id, selector, algorithm, bits, public_key, "
                                         "active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)"_s,
                                         {domainId, selector, dkimAlgorithmName(key.algorithm()), key.bits(),
                                          QString::fromLatin1(publicKey), QDateTime::currentSecsSinceEpoch()});
    if (!inserted)
    {
        QFile::remove(path);
        return inserted.error();
    }
    qCInfo(lcQueue).noquote() << "new DKIM key" << selector << "for" << domain << dkimAlgorithmName(key.algorithm())
                              << key.bits() << "bits";
    return get(domainId, selector);
}

Result<DkimKeyRecord> DkimKeyStore::generate(const QString& domain, DkimAlgorithm algorithm, int rsaBits) const
{
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    const auto existing = list(domain);
    if (!existing)
        return existing.error();
    for (const DkimKeyRecord& record : *existing)
    {
        if (record.active && record.algorithm == algorithm)
            return Error::conflict(u"%1 already has an active %2 key (%3); use rotate to replace it"_s.arg(
                                       domain, dkimAlgorithmName(algorithm), record.selector),
                                   u"algorithm"_s);
    }
    const auto key = DkimKey::generate(algorithm, rsaBits);
    if (!key)
        return key.error();
    const auto selector = newSelector(*id, algorithm);
    if (!selector)
        return selector.error();
    return store(*id, domain, *selector, *key);
}

Result<DkimKeyRecord> DkimKeyStore::rotate(const QString& domain, std::optional<DkimAlgorithm> algorithm,
                                           std::optional<int> rsaBits) const
{
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    const auto existing = list(domain);
    if (!existing)
        return existing.error();
    const DkimAlgorithm wanted = algorithm.value_or(DkimAlgorithm::Rsa);
    const DkimKeyRecord* newest = nullptr;
    for (const DkimKeyRecord& record : *existing)
    {
        if (record.active && record.algorithm == wanted)
            newest = &record;
    }
    if (!newest)
        return Error::notFound(
            u"%1 has no active %2 key to rotate; use generate"_s.arg(domain, dkimAlgorithmName(wanted)));
    const auto key = DkimKey::generate(wanted, rsaBits.value_or(newest->bits));
    if (!key)
        return key.error();
    const auto selector = newSelector(*id, wanted);
    if (!selector)
        return selector.error();
    return store(*id, domain, *selector, *key);
}

Result<DkimKeyRecord> DkimKeyStore::importKey(const QString& domain, const QString& selector,
                                              const QByteArray& text) const
{
    if (!isValidSelector(selector))
        return Error::invalid(u"selector"_s, u"'%1' is not a selector: lower-case letters, digits, hyphens and "
                                             "dots (RFC 6376 §3.1)"_s.arg(selector));
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    const auto key = DkimKey::fromText(text);
    if (!key)
        return key.error();
    if (get(*id, selector).ok())
        return Error::conflict(u"%1 already has a DKIM key with selector %2"_s.arg(domain, selector), u"selector"_s);
    return store(*id, domain, selector, *key);
}

Result<DkimKeyRecord> DkimKeyStore::retire(const QString& domain, const QString& selector) const
{
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    const auto record = get(*id, selector);
    if (!record)
        return unknownKey(domain, selector);
    if (!record->active)
        return Error::conflict(u"the DKIM key %1 of %2 is already retired"_s.arg(selector, domain), u"selector"_s);
    const auto updated = m_database.run(u"UPDATE dkim_keys SET active = 0, retired_at = ? WHERE domain_id = ? AND "
                                        "selector = ?"_s,
                                        {QDateTime::currentSecsSinceEpoch(), *id, selector});
    if (!updated)
        return updated.error();
    return get(*id, selector);
}

Status DkimKeyStore::remove(const QString& domain, const QString& selector) const
{
    const auto id = domainId(domain);
    if (!id)
        return id.error();
    const auto record = get(*id, selector);
    if (!record)
        return unknownKey(domain, selector);
    const auto deleted =
        m_database.run(u"DELETE FROM dkim_keys WHERE domain_id = ? AND selector = ?"_s, {*id, selector});
    if (!deleted)
        return deleted.error();
    removeKeyFiles({*record});
    return {};
}

void DkimKeyStore::removeKeyFiles(const QList<DkimKeyRecord>& keys) const
{
    for (const DkimKeyRecord& key : keys)
    {
        const QString path = keyPath(key.domain, key.selector);
        if (QFile::exists(path) && !QFile::remove(path))
            qCWarning(lcQueue).noquote() << "cannot remove the DKIM key file" << path;
    }
}

QList<DkimSigningKey> DkimKeyStore::signingKeys(const QString& domain) const
{
    QList<DkimSigningKey> keys;
    QList<QString> selectors;
    {
        auto query = m_database.run(u"SELECT k.selector FROM dkim_keys k JOIN domains d ON d.id = k.domain_id "
                                    "WHERE d.name = ? AND k.active = 1 ORDER BY k.id"_s,
                                    {domain});
        if (!query)
        {
            qCWarning(lcQueue).noquote() << "cannot read the DKIM keys of" << domain << ":" << query.error().message;
            return keys;
        }
        while (query->next())
            selectors.append(query->value(0).toString());
    }
    for (const QString& selector : selectors)
    {
        QFile file(keyPath(domain, selector));
        if (!file.open(QIODevice::ReadOnly))
        {
            qCWarning(lcQueue).noquote() << "cannot read the DKIM key" << file.fileName() << ":" << file.errorString();
            continue;
        }
        const auto key = DkimKey::fromText(file.readAll());
        if (!key)
        {
            qCWarning(lcQueue).noquote() << "the DKIM key" << file.fileName() << "is unusable:" << key.error().message;
            continue;
        }
        keys.append({domain, selector, *key});
    }
    return keys;
}

} // namespace promail
