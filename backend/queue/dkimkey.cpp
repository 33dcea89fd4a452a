#include "queue/dkimkey.h"

#include <QCryptographicHash>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key)
{
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

Result<DkimAlgorithm> algorithmOf(EVP_PKEY* key)
{
    switch (EVP_PKEY_get_base_id(key))
    {
    case EVP_PKEY_RSA:
        return DkimAlgorithm::Rsa;
    case EVP_PKEY_ED25519:
        return DkimAlgorithm::Ed25519;
    default:
        return Error::invalid(u"private_key"_s, u"a DKIM key is RSA or Ed25519"_s);
    }
}
} // namespace

QString dkimAlgorithmName(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::Rsa ? u"rsa"_s : u"ed25519"_s;
}

DkimKey::DkimKey(std::shared_ptr<EVP_PKEY> key, DkimAlgorithm algorithm) : m_key(std::move(key)), m_algorithm(algorithm)
{
}

Result<DkimKey> DkimKey::generate(DkimAlgorithm algorithm, int rsaBits)
{
    if (algorithm == DkimAlgorithm::Rsa)
    {
        if (rsaBits < kMinRsaBits || rsaBits > kMaxRsaBits)
            return Error::invalid(u"bits"_s, u"an RSA DKIM key has %1 to %2 bits"_s.arg(kMinRsaBits).arg(kMaxRsaBits));
        EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(rsaBits));
        if (!key)
            return Error::internal(u"OpenSSL could not generate an RSA key"_s);
        return DkimKey(own(key), algorithm);
    }
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        return Error::internal(u"OpenSSL could not generate an Ed25519 key"_s);
    return DkimKey(own(key), algorithm);
}

Result<DkimKey> DkimKey::fromText(QByteArrayView text)
{
    const QByteArray trimmed = text.trimmed().toByteArray();
    if (trimmed.contains("-----BEGIN"))
    {
        if (trimmed.contains("PUBLIC KEY-----"))
            return Error::invalid(u"private_key"_s, u"this is a public key; import the private key"_s);
        BioPtr bio(BIO_new_mem_buf(trimmed.constData(), int(trimmed.size())), BIO_free);
        EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
        if (!key)
            return Error::invalid(u"private_key"_s, u"not a readable PEM private key (an encrypted key needs "
                                                    "its passphrase removed first)"_s);
        auto owned = own(key);
        const auto algorithm = algorithmOf(key);
        if (!algorithm)
            return algorithm.error();
        DkimKey dkimKey(owned, *algorithm);
        if (*algorithm == DkimAlgorithm::Rsa && (dkimKey.bits() < kMinRsaBits || dkimKey.bits() > kMaxRsaBits))
            return Error::invalid(u"private_key"_s,
                                  u"the RSA key has %1 bits; DKIM keys have %2 to %3"_s.arg(dkimKey.bits())
                                      .arg(kMinRsaBits)
                                      .arg(kMaxRsaBits));
        return dkimKey;
    }
    const auto decoded = QByteArray::fromBase64Encoding(trimmed, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return Error::invalid(u"private_key"_s, u"expected a PEM private key or the base64 of a 32-byte "
                                                "Ed25519 seed"_s);
    EVP_PKEY* key = EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(decoded.decoded.constData()), 32);
    if (!key)
        return Error::invalid(u"private_key"_s, u"not a usable Ed25519 seed"_s);
    return DkimKey(own(key), DkimAlgorithm::Ed25519);
}

int DkimKey::bits() const
{
    return EVP_PKEY_get_bits(m_key.get());
}

QByteArray DkimKey::privateKeyPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, size);
}

QByteArray DkimKey::publicKeyBase64() const
{
    if (m_algorithm == DkimAlgorithm::Ed25519)
    {
        unsigned char raw[32];
        size_t size = sizeof(raw);
        if (EVP_PKEY_get_raw_public_key(m_key.get(), raw, &size) != 1)
            return {};
        return QByteArray(reinterpret_cast<const char*>(raw), qsizetype(size)).toBase64();
    }
    unsigned char* der = nullptr;
    const int size = i2d_PUBKEY(m_key.get(), &der);
    if (size <= 0)
        return {};
    const QByteArray out = QByteArray(reinterpret_cast<const char*>(der), size).toBase64();
    OPENSSL_free(der);
    return out;
}

QString DkimKey::dnsRecord() const
{
    return u"v=DKIM1; k="_s + dkimAlgorithmName(m_algorithm) + u"; p="_s + QString::fromLatin1(publicKeyBase64());
}

Result<QByteArray> DkimKey::sign(QByteArrayView data) const
{
    MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx)
        return Error::internal(u"out of memory"_s);
    QByteArray input = data.toByteArray();
    const EVP_MD* digest = EVP_sha256();
    if (m_algorithm == DkimAlgorithm::Ed25519)
    {
        // RFC 8463 §3: PureEdDSA over the SHA-256 hash of the data.
        input = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
        digest = nullptr;
    }
    size_t size = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(input.constData());
    if (EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, m_key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, bytes, size_t(input.size())) != 1)
        return Error::internal(u"OpenSSL could not sign with the DKIM key"_s);
    QByteArray signature(qsizetype(size), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, bytes,
                       size_t(input.size())) != 1)
        return Error::internal(u"OpenSSL could not sign with the DKIM key"_s);
    signature.resize(qsizetype(size));
    return signature;
}

} // namespace promail
