#include "net/tlscontext.h"

#include "net/selfsignedcertificate.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

struct TlsContext::Entry
{
    TlsFiles files;
    CertificateInfo info;
    QSslConfiguration configuration;
};

struct TlsContext::Snapshot
{
    Entry defaultEntry;
    QList<QPair<QString, Entry>> sni; // host name (lower case) → entry
};

namespace
{
Result<QByteArray> readFile(const QString& what, const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ApiError::invalid(u"tls"_s,
                                 u"cannot read "_s + what + u" file "_s + path + u": "_s + file.errorString());
    return file.readAll();
}

// Never prompts for a passphrase: an encrypted key is an error, not a question on the terminal.
int noPassphrase(char*, int, int, void*)
{
    return -1;
}

struct KeyCheck
{
    std::optional<QSsl::KeyAlgorithm> algorithm;
    bool matches = false;
};

// OpenSSL tells the key type (QSslKey needs it up front) and whether the key belongs to the
// certificate; a mismatched pair would only fail later, in every handshake.
KeyCheck checkKey(const QByteArray& keyPem, const QSslCertificate& leaf)
{
    KeyCheck check;
    BIO* bio = BIO_new_mem_buf(keyPem.constData(), static_cast<int>(keyPem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, noPassphrase, nullptr) : nullptr;
    BIO_free(bio);
    if (!key)
        return check;
    switch (EVP_PKEY_get_base_id(key))
    {
    case EVP_PKEY_RSA:
        check.algorithm = QSsl::Rsa;
        break;
    case EVP_PKEY_EC:
        check.algorithm = QSsl::Ec;
        break;
    case EVP_PKEY_DSA:
        check.algorithm = QSsl::Dsa;
        break;
    default:
        break;
    }
    const QByteArray der = leaf.toDer();
    const auto* derData = reinterpret_cast<const unsigned char*>(der.constData());
    X509* cert = d2i_X509(nullptr, &derData, static_cast<long>(der.size()));
    check.matches = cert && X509_check_private_key(cert, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return check;
}

QString fingerprint(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

// RFC 6125 §6.4.3: a wildcard covers exactly one left-most label.
bool wildcardMatches(const QString& pattern, const QString& host)
{
    if (!pattern.startsWith(u"*."_s))
        return false;
    const QStringView suffix = QStringView(pattern).sliced(1); // ".example.org"
    if (!host.endsWith(suffix) || host.size() <= suffix.size())
        return false;
    return !QStringView(host).first(host.size() - suffix.size()).contains(u'.');
}
} // namespace

TlsContext::TlsContext() = default;
TlsContext::~TlsContext() = default;

Result<TlsContext::Entry> TlsContext::readEntry(const QString& host, const TlsFiles& files)
{
    const auto certPem = readFile(u"certificate"_s, files.certPath);
    if (!certPem)
        return certPem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull())
        return ApiError::invalid(u"tls"_s, u"no PEM certificate in "_s + files.certPath);

    const auto keyPem = readFile(u"private key"_s, files.keyPath);
    if (!keyPem)
        return keyPem.error();
    const KeyCheck check = checkKey(*keyPem, chain.constFirst());
    const QSslKey key = check.algorithm ? QSslKey(*keyPem, *check.algorithm, QSsl::Pem, QSsl::PrivateKey) : QSslKey();
    if (key.isNull())
        return ApiError::invalid(u"tls"_s, u"no unencrypted RSA, EC or DSA PEM private key in "_s + files.keyPath);
    if (!check.matches)
    {
        return ApiError::invalid(u"tls"_s, u"private key "_s + files.keyPath + u" does not match certificate "_s +
                                               files.certPath);
    }

    Entry entry;
    entry.files = files;
    entry.info = {host, fingerprint(chain.constFirst()),
                  chain.constFirst().subjectInfo(QSslCertificate::CommonName).value(0),
                  chain.constFirst().expiryDate()};
    entry.configuration = QSslConfiguration::defaultConfiguration();
    entry.configuration.setProtocol(QSsl::TlsV1_2OrLater);
    entry.configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    entry.configuration.setLocalCertificateChain(chain);
    entry.configuration.setPrivateKey(key);
    return entry;
}

Status TlsContext::load(const TlsFiles& defaultFiles, const QList<QPair<QString, TlsFiles>>& sniFiles)
{
    auto snapshot = std::make_shared<Snapshot>();
    auto defaultEntry = readEntry(QString(), defaultFiles);
    if (!defaultEntry)
        return defaultEntry.error();
    snapshot->defaultEntry = std::move(defaultEntry).value();
    for (const auto& [host, files] : sniFiles)
    {
        auto entry = readEntry(host.toLower(), files);
        if (!entry)
            return entry.error();
        snapshot->sni.append({host.toLower(), std::move(entry).value()});
    }
    QWriteLocker locker(&m_lock);
    m_snapshot = std::move(snapshot);
    return {};
}

Status TlsContext::reload()
{
    const auto current = snapshot();
    if (!current)
        return ApiError::invalid(u"tls"_s, u"no certificates loaded"_s);
    QList<QPair<QString, TlsFiles>> sniFiles;
    for (const auto& [host, entry] : current->sni)
        sniFiles.append({host, entry.files});
    return load(current->defaultEntry.files, sniFiles);
}

bool TlsContext::isLoaded() const
{
    return snapshot() != nullptr;
}

QSslConfiguration TlsContext::configurationFor(const QString& serverName) const
{
    const auto current = snapshot();
    if (!current)
        return {};
    const QString host = serverName.toLower();
    if (!host.isEmpty())
    {
        for (const auto& [name, entry] : current->sni)
        {
            if (name == host)
                return entry.configuration;
        }
        for (const auto& [name, entry] : current->sni)
        {
            if (wildcardMatches(name, host))
                return entry.configuration;
        }
    }
    return current->defaultEntry.configuration;
}

QList<CertificateInfo> TlsContext::certificates() const
{
    QList<CertificateInfo> result;
    const auto current = snapshot();
    if (!current)
        return result;
    result.append(current->defaultEntry.info);
    for (const auto& [name, entry] : current->sni)
        result.append(entry.info);
    return result;
}

Status TlsContext::generateSelfSigned(const QString& hostname, const QString& certPath, const QString& keyPath)
{
    return SelfSignedCertificate::generate(hostname, certPath, keyPath);
}

Result<QString> TlsContext::fingerprintOfFile(const QString& certPath)
{
    const auto pem = readFile(u"certificate"_s, certPath);
    if (!pem)
        return pem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull())
        return ApiError::invalid(u"tls"_s, u"no PEM certificate in "_s + certPath);
    return fingerprint(chain.constFirst());
}

std::shared_ptr<const TlsContext::Snapshot> TlsContext::snapshot() const
{
    QReadLocker locker(&m_lock);
    return m_snapshot;
}

} // namespace promail
