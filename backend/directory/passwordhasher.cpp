#include "directory/passwordhasher.h"

#include <memory>
#include <optional>

#include <argon2.h>
#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

// Upper bounds on imported hashes: a stored hash chooses its own cost, and verifying one must not
// exhaust memory or pin a core for seconds. Timings measured on the 2-core target.
constexpr std::uint32_t kMaxArgon2MemoryKiB = 1024 * 1024; // 1 GiB, libsodium's "sensitive" level
constexpr std::uint32_t kMaxArgon2Iterations = 16;
constexpr std::uint32_t kMaxArgon2Lanes = 16;
constexpr int kMaxBcryptCost = 14;                      // ~0.75 s
constexpr std::uint32_t kMaxShaCryptRounds = 2'000'000; // ~0.4 s
constexpr qsizetype kMaxStoredHashLength = 512;

enum class Family
{
    Argon2id,
    Argon2i,
    Bcrypt,
    Sha256Crypt,
    Sha512Crypt,
    Ssha256,
    Ssha512,
};

constexpr unsigned bit(Family family)
{
    return 1u << static_cast<unsigned>(family);
}

bool isCrypt(Family family)
{
    return family == Family::Bcrypt || family == Family::Sha256Crypt || family == Family::Sha512Crypt;
}

struct ParsedHash
{
    Family family = Family::Argon2id;
    QByteArray text; // without the {SCHEME} prefix; for crypt families the whole crypt string
    std::uint32_t version = 0;
    std::uint32_t memoryKiB = 0;
    std::uint32_t iterations = 0;
    std::uint32_t lanes = 0;
    QByteArray salt;   // argon2, SSHA
    QByteArray digest; // argon2, SSHA
};

// Dovecot password schemes (doc.dovecot.org "Password Schemes"); names are case-insensitive there.
struct DovecotScheme
{
    QByteArrayView name;
    unsigned families;
    QLatin1StringView expected;
};

constexpr DovecotScheme kDovecotSchemes[] = {
    {"ARGON2I", bit(Family::Argon2i), "an $argon2i$"_L1},
    {"ARGON2ID", bit(Family::Argon2id), "an $argon2id$"_L1},
    {"BLF-CRYPT", bit(Family::Bcrypt), "a $2a$, $2b$ or $2y$"_L1},
    {"CRYPT", bit(Family::Bcrypt) | bit(Family::Sha256Crypt) | bit(Family::Sha512Crypt),
     "a bcrypt, SHA256-CRYPT or SHA512-CRYPT"_L1},
    {"SHA256-CRYPT", bit(Family::Sha256Crypt), "a $5$"_L1},
    {"SHA512-CRYPT", bit(Family::Sha512Crypt), "a $6$"_L1},
    {"SSHA256", bit(Family::Ssha256), {}},
    {"SSHA512", bit(Family::Ssha512), {}},
};

// The UTF-8 password, wiped when done so it does not linger in freed heap memory.
class SecretBytes
{
public:
    explicit SecretBytes(const QString& text) : m_bytes(text.toUtf8()) {}
    ~SecretBytes() { OPENSSL_cleanse(m_bytes.data(), static_cast<size_t>(m_bytes.size())); }
    Q_DISABLE_COPY_MOVE(SecretBytes)

    const QByteArray& bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

Error invalidHash(const QString& reason)
{
    return ApiError::invalid({}, reason);
}

bool isCryptBase64(QByteArrayView text)
{
    for (const char c : text)
    {
        const bool ok =
            c == '.' || c == '/' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!ok)
            return false;
    }
    return true;
}

// PHC decimal: digits only, no sign, no leading zero.
bool parseDecimal(QByteArrayView text, std::uint32_t* value)
{
    if (text.isEmpty() || text.size() > 10 || (text.size() > 1 && text.front() == '0'))
        return false;
    std::uint64_t result = 0;
    for (const char c : text)
    {
        if (c < '0' || c > '9')
            return false;
        result = result * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (result > UINT32_MAX)
        return false;
    *value = static_cast<std::uint32_t>(result);
    return true;
}

// PHC strings use standard base64 without padding.
std::optional<QByteArray> decodePhcBase64(QByteArrayView text)
{
    if (text.isEmpty() || text.size() % 4 == 1)
        return std::nullopt;
    for (const char c : text)
    {
        const bool ok =
            c == '+' || c == '/' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!ok)
            return std::nullopt;
    }
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<Family> detectFamily(QByteArrayView text)
{
    if (text.startsWith("$argon2id$"))
        return Family::Argon2id;
    if (text.startsWith("$argon2i$"))
        return Family::Argon2i;
    if (text.startsWith("$2a$") || text.startsWith("$2b$") || text.startsWith("$2y$"))
        return Family::Bcrypt;
    if (text.startsWith("$5$"))
        return Family::Sha256Crypt;
    if (text.startsWith("$6$"))
        return Family::Sha512Crypt;
    return std::nullopt;
}

// $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash> (PHC string format, as libargon2 and libsodium
// write it); a missing v= means version 0x10.
Result<ParsedHash> parseArgon2(Family family, const QByteArray& text)
{
    const QString malformed = u"malformed argon2 hash"_s;
    const QList<QByteArray> parts = text.split('$');
    if (parts.size() != 5 && parts.size() != 6)
        return invalidHash(malformed);
    ParsedHash parsed;
    parsed.family = family;
    parsed.text = text;
    parsed.version = ARGON2_VERSION_10;
    qsizetype index = 2;
    if (parts.size() == 6)
    {
        if (!parts[2].startsWith("v=") || !parseDecimal(QByteArrayView(parts[2]).sliced(2), &parsed.version))
            return invalidHash(malformed);
        index = 3;
    }
    const QList<QByteArray> params = parts[index].split(',');
    if (params.size() != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=") ||
        !params[2].startsWith("p=") || !parseDecimal(QByteArrayView(params[0]).sliced(2), &parsed.memoryKiB) ||
        !parseDecimal(QByteArrayView(params[1]).sliced(2), &parsed.iterations) ||
        !parseDecimal(QByteArrayView(params[2]).sliced(2), &parsed.lanes))
        return invalidHash(malformed);
    std::optional<QByteArray> salt = decodePhcBase64(parts[index + 1]);
    std::optional<QByteArray> digest = decodePhcBase64(parts[index + 2]);
    if (!salt || !digest)
        return invalidHash(malformed);
    parsed.salt = std::move(*salt);
    parsed.digest = std::move(*digest);

    if (parsed.version != ARGON2_VERSION_10 && parsed.version != ARGON2_VERSION_13)
        return invalidHash(u"unsupported argon2 version"_s);
    if (parsed.lanes < 1 || parsed.lanes > kMaxArgon2Lanes)
        return invalidHash(u"argon2 parallelism must be 1 to 16"_s);
    if (parsed.iterations < 1 || parsed.iterations > kMaxArgon2Iterations)
        return invalidHash(u"argon2 time cost must be 1 to 16"_s);
    if (parsed.memoryKiB < 8 * parsed.lanes)
        return invalidHash(u"argon2 memory cost is below 8 KiB per lane"_s);
    if (parsed.memoryKiB > kMaxArgon2MemoryKiB)
        return invalidHash(u"argon2 memory cost above 1048576 KiB is not accepted"_s);
    if (parsed.salt.size() < 8 || parsed.salt.size() > 64)
        return invalidHash(u"argon2 salt must be 8 to 64 bytes"_s);
    if (parsed.digest.size() < 16 || parsed.digest.size() > 64)
        return invalidHash(u"argon2 hash must be 16 to 64 bytes"_s);
    return parsed;
}

// $2b$10$<22 salt chars><31 hash chars>, always 60 characters.
Result<ParsedHash> parseBcrypt(const QByteArray& text)
{
    const QString malformed = u"malformed bcrypt hash"_s;
    if (text.size() != 60 || text[6] != '$' || !isCryptBase64(QByteArrayView(text).sliced(7)))
        return invalidHash(malformed);
    std::uint32_t cost = 0;
    if (text[4] == '0' ? !parseDecimal(QByteArrayView(text).sliced(5, 1), &cost)
                       : !parseDecimal(QByteArrayView(text).sliced(4, 2), &cost))
        return invalidHash(malformed);
    if (cost < 4 || cost > 31)
        return invalidHash(malformed);
    if (cost > kMaxBcryptCost)
        return invalidHash(u"bcrypt cost above 14 is not accepted"_s);
    return ParsedHash{Family::Bcrypt, text, 0, 0, 0, 0, {}, {}};
}

// $6$[rounds=N$]<salt, up to 16 chars>$<hash>: the SHA-crypt specification (Drepper, 2007).
Result<ParsedHash> parseShaCrypt(Family family, const QByteArray& text)
{
    const QString malformed = u"malformed SHA-crypt hash"_s;
    QByteArrayView rest = QByteArrayView(text).sliced(3);
    if (rest.startsWith("rounds="))
    {
        const qsizetype end = rest.indexOf('$');
        std::uint32_t rounds = 0;
        if (end < 0 || !parseDecimal(rest.sliced(7, end - 7), &rounds) || rounds < 1000)
            return invalidHash(malformed);
        if (rounds > kMaxShaCryptRounds)
            return invalidHash(u"SHA-crypt rounds above 2000000 are not accepted"_s);
        rest = rest.sliced(end + 1);
    }
    const qsizetype dollar = rest.indexOf('$');
    const qsizetype hashChars = family == Family::Sha512Crypt ? 86 : 43;
    if (dollar < 1 || dollar > 16 || rest.size() - dollar - 1 != hashChars || !isCryptBase64(rest.sliced(dollar + 1)))
        return invalidHash(malformed);
    return ParsedHash{family, text, 0, 0, 0, 0, {}, {}};
}

// Dovecot SSHA256/SSHA512: base64(SHA-2(password || salt) || salt).
Result<ParsedHash> parseSsha(Family family, const QByteArray& text)
{
    const qsizetype digestBytes = family == Family::Ssha512 ? 64 : 32;
    auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (text.isEmpty() || !decoded)
        return invalidHash(u"SSHA value is not valid base64"_s);
    if (decoded.decoded.size() <= digestBytes)
        return invalidHash(u"SSHA value is too short to contain a salt"_s);
    return ParsedHash{family, text, 0, 0, 0, 0, decoded.decoded.mid(digestBytes), decoded.decoded.left(digestBytes)};
}

Result<ParsedHash> parseFamily(Family family, const QByteArray& text)
{
    switch (family)
    {
    case Family::Argon2id:
    case Family::Argon2i:
        return parseArgon2(family, text);
    case Family::Bcrypt:
        return parseBcrypt(text);
    case Family::Sha256Crypt:
    case Family::Sha512Crypt:
        return parseShaCrypt(family, text);
    case Family::Ssha256:
    case Family::Ssha512:
        return parseSsha(family, text);
    }
    return invalidHash(u"unrecognised hash format"_s);
}

// A crypt(3) or PHC string without a Dovecot {SCHEME} prefix.
Result<ParsedHash> parseBare(const QByteArray& text)
{
    if (const std::optional<Family> family = detectFamily(text))
        return parseFamily(*family, text);
    const qsizetype end = text.indexOf('$', 1);
    if (text.startsWith('$') && end > 1 && end <= 9)
        return invalidHash(u"unsupported crypt method "_s + QString::fromLatin1(text.left(end + 1)));
    return invalidHash(u"unrecognised hash format"_s);
}

Result<ParsedHash> parseStoredHash(const QString& stored)
{
    if (stored.isEmpty())
        return invalidHash(u"hash is empty"_s);
    if (stored.size() > kMaxStoredHashLength)
        return invalidHash(u"hash is longer than 512 characters"_s);
    for (const QChar c : stored)
    {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return invalidHash(u"hash contains characters outside printable ASCII"_s);
    }
    const QByteArray text = stored.toLatin1();
    if (!text.startsWith('{'))
        return parseBare(text);

    const qsizetype close = text.indexOf('}');
    if (close < 0)
        return invalidHash(u"scheme prefix has no closing }"_s);
    const QByteArray name = text.mid(1, close - 1).toUpper();
    const QByteArray body = text.mid(close + 1);
    for (const DovecotScheme& scheme : kDovecotSchemes)
    {
        if (scheme.name != name)
            continue;
        if (scheme.families & (bit(Family::Ssha256) | bit(Family::Ssha512)))
            return parseSsha(scheme.families == bit(Family::Ssha512) ? Family::Ssha512 : Family::Ssha256, body);
        const std::optional<Family> family = detectFamily(body);
        if (!family || !(scheme.families & bit(*family)))
            return invalidHash(u'{' + QString::fromLatin1(name) + u"} must be followed by "_s + scheme.expected +
                               u" string"_s);
        return parseFamily(*family, body);
    }
    return invalidHash(u"unsupported password scheme {"_s + QString::fromLatin1(name.left(32)) + u'}');
}

Result<QByteArray> runCrypt(const QByteArray& phrase, const QByteArray& setting)
{
    // crypt_data is ~32 KiB: keep it off the (possibly small) worker stack. Zeroed as crypt_rn wants.
    auto data = std::make_unique<crypt_data>();
    const char* output = crypt_rn(phrase.constData(), setting.constData(), data.get(), sizeof(crypt_data));
    QByteArray result = output ? QByteArray(output) : QByteArray();
    OPENSSL_cleanse(data.get(), sizeof(crypt_data));
    if (!output)
        return ApiError::internal(u"crypt library rejected the hash"_s);
    return result;
}

Result<bool> matchesArgon2(const ParsedHash& parsed, const QByteArray& password)
{
    QByteArray computed(parsed.digest.size(), '\0');
    const int rc = argon2_hash(
        parsed.iterations, parsed.memoryKiB, parsed.lanes, password.constData(), static_cast<size_t>(password.size()),
        parsed.salt.constData(), static_cast<size_t>(parsed.salt.size()), computed.data(),
        static_cast<size_t>(computed.size()), nullptr, 0, parsed.family == Family::Argon2id ? Argon2_id : Argon2_i,
        static_cast<argon2_version>(parsed.version));
    if (rc != ARGON2_OK)
        return ApiError::internal(u"argon2 failed: "_s + QString::fromLatin1(argon2_error_message(rc)));
    return CRYPTO_memcmp(computed.constData(), parsed.digest.constData(), static_cast<size_t>(computed.size())) == 0;
}

Result<bool> matchesCrypt(const ParsedHash& parsed, const QByteArray& password)
{
    Result<QByteArray> computed = runCrypt(password, parsed.text);
    if (!computed)
        return computed.error();
    // The length is public (it is the stored hash's); the content is compared in constant time.
    return computed->size() == parsed.text.size() &&
           CRYPTO_memcmp(computed->constData(), parsed.text.constData(), static_cast<size_t>(computed->size())) == 0;
}

Result<bool> matchesSsha(const ParsedHash& parsed, const QByteArray& password)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    const EVP_MD* md = parsed.family == Family::Ssha512 ? EVP_sha512() : EVP_sha256();
    if (!context || EVP_DigestInit_ex(context.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), password.constData(), static_cast<size_t>(password.size())) != 1 ||
        EVP_DigestUpdate(context.get(), parsed.salt.constData(), static_cast<size_t>(parsed.salt.size())) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &digestLength) != 1)
        return ApiError::internal(u"SHA-2 digest failed"_s);
    const bool equal = static_cast<qsizetype>(digestLength) == parsed.digest.size() &&
                       CRYPTO_memcmp(digest, parsed.digest.constData(), digestLength) == 0;
    OPENSSL_cleanse(digest, sizeof(digest));
    return equal;
}

Result<bool> matches(const ParsedHash& parsed, const QByteArray& password)
{
    switch (parsed.family)
    {
    case Family::Argon2id:
    case Family::Argon2i:
        return matchesArgon2(parsed, password);
    case Family::Bcrypt:
    case Family::Sha256Crypt:
    case Family::Sha512Crypt:
        return matchesCrypt(parsed, password);
    case Family::Ssha256:
    case Family::Ssha512:
        return matchesSsha(parsed, password);
    }
    return false;
}

bool needsRehash(const ParsedHash& parsed)
{
    return parsed.family != Family::Argon2id || parsed.version != ARGON2_VERSION_13 ||
           parsed.memoryKiB < PasswordHasher::kArgon2MemoryKiB ||
           parsed.iterations < PasswordHasher::kArgon2Iterations || parsed.salt.size() < PasswordHasher::kSaltBytes ||
           parsed.digest.size() < PasswordHasher::kHashBytes;
}

QString passwordTooLong()
{
    return u"password is longer than 4096 bytes"_s;
}

// Why verify() refuses to run the hash at all; empty if it can.
QString refusal(const Result<ParsedHash>& parsed, const QByteArray& password)
{
    if (!parsed)
        return parsed.error().message;
    if (password.size() > PasswordHasher::kMaxPasswordBytes)
        return passwordTooLong();
    // crypt(3) reads a C string: "abc\0xyz" would verify as "abc".
    if (isCrypt(parsed->family) && password.contains('\0'))
        return u"password contains a NUL byte"_s;
    return {};
}

// A refused login costs one current-strength argon2id run like a real one, so response time does
// not tell an attacker whether the account exists (callers pass an empty hash for unknown users).
void spendHashTime(const QByteArray& password)
{
    static constexpr unsigned char kSalt[PasswordHasher::kSaltBytes] = {};
    unsigned char discarded[PasswordHasher::kHashBytes];
    argon2_hash(PasswordHasher::kArgon2Iterations, PasswordHasher::kArgon2MemoryKiB, PasswordHasher::kArgon2Lanes,
                password.constData(),
                static_cast<size_t>(qMin(password.size(), qsizetype(PasswordHasher::kMaxPasswordBytes))), kSalt,
                sizeof(kSalt), discarded, sizeof(discarded), nullptr, 0, Argon2_id, ARGON2_VERSION_13);
    OPENSSL_cleanse(discarded, sizeof(discarded));
}

} // namespace

Result<QString> PasswordHasher::hash(const QString& password)
{
    const SecretBytes secret(password);
    if (secret.bytes().size() > kMaxPasswordBytes)
        return ApiError::invalid(u"password"_s, passwordTooLong());
    unsigned char salt[kSaltBytes];
    if (RAND_bytes(salt, kSaltBytes) != 1)
        return ApiError::internal(u"random number generator failed"_s);
    const size_t encodedLength = argon2_encodedlen(kArgon2Iterations, kArgon2MemoryKiB, kArgon2Lanes, kSaltBytes,
                                                   kHashBytes, Argon2_id); // includes the terminating NUL
    QByteArray encoded(static_cast<qsizetype>(encodedLength), '\0');
    const int rc = argon2_hash(kArgon2Iterations, kArgon2MemoryKiB, kArgon2Lanes, secret.bytes().constData(),
                               static_cast<size_t>(secret.bytes().size()), salt, kSaltBytes, nullptr, kHashBytes,
                               encoded.data(), encodedLength, Argon2_id, ARGON2_VERSION_13);
    if (rc != ARGON2_OK)
        return ApiError::internal(u"argon2 failed: "_s + QString::fromLatin1(argon2_error_message(rc)));
    encoded.truncate(qstrlen(encoded.constData()));
    return QString(u"{ARGON2ID}"_s + QString::fromLatin1(encoded));
}

PasswordHasher::Verification PasswordHasher::verify(const QString& storedHash, const QString& password)
{
    const Result<ParsedHash> parsed = parseStoredHash(storedHash);
    const SecretBytes secret(password);
    if (const QString why = refusal(parsed, secret.bytes()); !why.isEmpty())
    {
        spendHashTime(secret.bytes());
        return {false, false, why};
    }
    const Result<bool> matched = matches(*parsed, secret.bytes());
    if (!matched)
        return {false, false, matched.error().message};
    if (!*matched)
        return {false, false, u"password does not match"_s};
    return {true, needsRehash(*parsed), {}};
}

bool PasswordHasher::isSupportedHash(const QString& storedHash, QString* why)
{
    const Result<ParsedHash> parsed = parseStoredHash(storedHash);
    if (parsed && isCrypt(parsed->family))
    {
        // Let libcrypt confirm it reads the string as we do: hashing a probe password with it as the
        // setting must reproduce everything up to the final hash characters (catches clamped rounds,
        // over-long or non-canonical salts that would make every login fail).
        const qsizetype hashChars = parsed->family == Family::Bcrypt        ? 31
                                    : parsed->family == Family::Sha512Crypt ? 86
                                                                            : 43;
        const qsizetype settingLength = parsed->text.size() - hashChars;
        const Result<QByteArray> probe = runCrypt("promail-probe"_ba, parsed->text);
        if (!probe || probe->size() != parsed->text.size() ||
            QByteArrayView(*probe).first(settingLength) != QByteArrayView(parsed->text).first(settingLength))
        {
            if (why)
                *why = u"crypt library does not accept this hash"_s;
            return false;
        }
    }
    if (!parsed && why)
        *why = parsed.error().message;
    return parsed.ok();
}

} // namespace promail
