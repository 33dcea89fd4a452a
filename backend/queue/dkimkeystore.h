#pragma once

#include "core/datapaths.h"
#include "core/result.h"
#include "queue/dkimsigner.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace promail
{

class Database;

// What the admin sees of a DKIM key: never the private key itself.
struct DkimKeyRecord
{
    QString domain; // A-label
    QString selector;
    DkimAlgorithm algorithm = DkimAlgorithm::Rsa;
    int bits = 0;
    QString recordValue; // the TXT value to publish, unsplit: "v=DKIM1; k=rsa; p=..."
    bool active = true;  // signs outgoing mail; retired keys stay listed until deleted
    QDateTime createdAt;

    QString recordName() const { return selector + QStringLiteral("._domainkey.") + domain; }
};

// The DKIM keys of the local domains (issue 5): metadata in the database (table dkim_keys),
// private keys in data_dir/keys/dkim-SELECTOR._domainkey.DOMAIN.pem, mode 0600, written durably.
// Every active key signs its domain's outgoing mail; rotation adds a key under a new selector
// and leaves the old one signing until the admin retires it.
class DkimKeyStore
{
public:
    DkimKeyStore(const Database& database, const DataPaths& paths);

    // The domain names below are A-labels of existing domains; the admin layer resolves them.
    Result<QList<DkimKeyRecord>> list(const QString& domain) const;
    // A new key under a new selector; refused when the domain already has an active key of
    // that algorithm (that is what rotate() is for).
    Result<DkimKeyRecord> generate(const QString& domain, DkimAlgorithm algorithm, int rsaBits) const;
    // A new key next to the newest active one of `algorithm` (RSA when not given), with its size
    // unless `rsaBits` says otherwise.
    Result<DkimKeyRecord> rotate(const QString& domain, std::optional<DkimAlgorithm> algorithm,
                                 std::optional<int> rsaBits) const;
    // An existing key (PEM, or an Ed25519 seed in base64) under the selector it is published at.
    Result<DkimKeyRecord> importKey(const QString& domain, const QString& selector, const QByteArray& text) const;
    Result<DkimKeyRecord> retire(const QString& domain, const QString& selector) const;
    Status remove(const QString& domain, const QString& selector) const;
    // After the domain itself is gone (its rows went with it): the key files it left.
    void removeKeyFiles(const QList<DkimKeyRecord>& keys) const;

    // The active keys of `domain`, loaded for signing; a key whose file cannot be read is
    // skipped with a warning in the log, so mail still leaves with the other signatures.
    QList<DkimSigningKey> signingKeys(const QString& domain) const;

    QString keyPath(const QString& domain, const QString& selector) const;

    static bool isValidSelector(const QString& selector);

private:
    Result<qint64> domainId(const QString& domain) const;
    Result<QString> serverId() const;
    Result<QString> newSelector(qint64 domainId, DkimAlgorithm algorithm) const;
    Result<DkimKeyRecord> get(qint64 domainId, const QString& selector) const;
    Result<DkimKeyRecord> store(qint64 domainId, const QString& domain, const QString& selector,
                                const DkimKey& key) const;

    const Database& m_database;
    DataPaths m_paths;
};

} // namespace promail
