#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace promail
{

// The two signing algorithms: rsa-sha256 (RFC 6376 §3.3.1) and ed25519-sha256 (RFC 8463).
enum class DkimAlgorithm
{
    Rsa,
    Ed25519,
};

QString dkimAlgorithmName(DkimAlgorithm algorithm); // "rsa", "ed25519" (the k= tag)

// A DKIM private key (OpenSSL EVP). RSA keys are 1024 to 4096 bits: shorter ones are forbidden by
// RFC 8301 §3.2, longer ones do not fit many DNS set-ups.
class DkimKey
{
public:
    static constexpr int kMinRsaBits = 1024;
    static constexpr int kMaxRsaBits = 4096;
    static constexpr int kDefaultRsaBits = 2048;

    static Result<DkimKey> generate(DkimAlgorithm algorithm, int rsaBits = kDefaultRsaBits);
    // A PEM private key (PKCS#8 or traditional RSA), or an Ed25519 key as the base64 of its
    // 32-byte seed (the form rspamd and RFC 8463 Appendix A write). Public keys are refused.
    static Result<DkimKey> fromText(QByteArrayView text);

    DkimAlgorithm algorithm() const { return m_algorithm; }
    int bits() const;
    QByteArray privateKeyPem() const; // PKCS#8
    // The p= value (RFC 6376 §3.6.1): base64 of the DER SubjectPublicKeyInfo for RSA, of the raw
    // 32-byte public key for Ed25519 (RFC 8463 §4.2).
    QByteArray publicKeyBase64() const;
    QString dnsRecord() const; // "v=DKIM1; k=rsa; p=...", unsplit

    // The b= bytes over `data` (the canonical header hash input): RSASSA-PKCS1-v1_5 with SHA-256,
    // or Ed25519 over the SHA-256 digest of the data (RFC 8463 §3).
    Result<QByteArray> sign(QByteArrayView data) const;

private:
    DkimKey(std::shared_ptr<EVP_PKEY> key, DkimAlgorithm algorithm);

    std::shared_ptr<EVP_PKEY> m_key;
    DkimAlgorithm m_algorithm;
};

} // namespace promail
