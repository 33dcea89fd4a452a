#include "net/selfsignedcertificate.h"

#include <functional>
#include <memory>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include "core/durablefile.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
template <typename T, void (*Free)(T*)>
struct Deleter
{
    void operator()(T* p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

ApiError failure(const QString& what)
{
    return ApiError::internal(u"cannot generate self-signed certificate: "_s + what);
}

bool addExtension(X509* cert, int nid, const QByteArray& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

QByteArray toPem(const std::function<int(BIO*)>& write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, size);
}
} // namespace

Status SelfSignedCertificate::generate(const QString& hostname, const QString& certPath, const QString& keyPath)
{
    // Host name characters only: the name is also spliced into OpenSSL's "DNS:" extension syntax.
    bool nameOk = !hostname.isEmpty() && hostname.size() <= 64; // RFC 5280 ub-common-name
    for (QChar c : hostname)
        nameOk =
            nameOk && (c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'*' || c == u'_') && c.unicode() < 128;
    if (!nameOk)
        return ApiError::invalid(u"hostname"_s, u"invalid host name for a certificate: '"_s + hostname + u'\'');
    for (const QString& path : {certPath, keyPath})
    {
        if (QFileInfo::exists(path))
            return failure(path + u" already exists"_s);
    }

    PKeyPtr key(EVP_RSA_gen(2048));
    X509Ptr cert(X509_new());
    if (!key || !cert)
        return failure(u"out of memory or no RSA key"_s);

    // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 159 random bits fit.
    BnPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return failure(u"no random serial number"_s);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const long validSeconds = static_cast<long>(now.secsTo(now.addYears(10)));
    const QByteArray cn = hostname.toLatin1();
    X509_NAME* name = X509_get_subject_name(cert.get());
    const bool built =
        X509_set_version(cert.get(), X509_VERSION_3) == 1 && X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) &&
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), validSeconds) &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.constData()),
                                   static_cast<int>(cn.size()), -1, 0) == 1 &&
        X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1 &&
        addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"_ba) &&
        addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment"_ba) &&
        addExtension(cert.get(), NID_ext_key_usage, "serverAuth"_ba) &&
        addExtension(cert.get(), NID_subject_key_identifier, "hash"_ba) &&
        addExtension(cert.get(), NID_subject_alt_name, "DNS:"_ba + cn) &&
        X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    if (!built)
        return failure(u"OpenSSL could not build the certificate"_s);

    const QByteArray keyPem = toPem(
        [&](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    const QByteArray certPem = toPem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
    if (keyPem.isEmpty() || certPem.isEmpty())
        return failure(u"cannot encode PEM"_s);

    // The key first: a certificate without its key on disk would look like a finished pair.
    if (Status written = writeFileDurably(keyPath, keyPem, 0600); !written)
        return written;
    return writeFileDurably(certPath, certPem, 0644);
}

} // namespace promail
