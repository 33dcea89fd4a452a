#pragma once

#include "core/result.h"

#include <QString>

#include <cstdint>

namespace promail
{

// Hashes mailbox passwords (argon2id, Dovecot "{ARGON2ID}" PHC string) and verifies the hashes
// that Dovecot/mailcow installs leave behind: {ARGON2ID}/{ARGON2I}, {BLF-CRYPT} (bcrypt),
// {SHA512-CRYPT}/{SHA256-CRYPT}, {CRYPT}, {SSHA256}/{SSHA512}, and the bare crypt/PHC strings.
// Stateless and thread-safe; every call may block for tens of milliseconds, so callers run it
// off the event loop. Passwords are hashed as UTF-8 bytes. Nothing here logs a password or hash.
class PasswordHasher
{
public:
    // Parameters of new hashes. Measured on the 2-core target (Debian libargon2, reference
    // implementation): m=64 MiB,t=3 costs ~130 ms per login and m=64 MiB,t=1 ~62 ms; the
    // OWASP Password Storage Cheat Sheet's m=46 MiB,t=1,p=1 costs ~43 ms, keeps a login well
    // under 100 ms and bounds memory to 46 MiB per concurrent login. RFC 9106 §4 accepts t=1
    // for argon2id. p=1 because logins run concurrently on a worker pool: lanes would only
    // compete for the same two cores.
    static constexpr std::uint32_t kArgon2MemoryKiB = 47104;
    static constexpr std::uint32_t kArgon2Iterations = 1;
    static constexpr std::uint32_t kArgon2Lanes = 1;
    static constexpr int kSaltBytes = 16;
    static constexpr int kHashBytes = 32;
    // Longer passwords are refused: SHA-crypt's cost grows with password length.
    static constexpr int kMaxPasswordBytes = 4096;

    struct Verification
    {
        bool ok = false;
        // The password matched but the hash is not argon2id at the current strength: the caller
        // should store hash(password) now, while it has the plaintext.
        bool needsRehash = false;
        // Why ok is false, for the server log. Never contains the password or the hash itself.
        QString reason;
    };

    // "{ARGON2ID}$argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>" with a fresh 16-byte salt.
    static Result<QString> hash(const QString& password);
    // A storedHash that cannot be used (empty, unknown scheme, malformed) or a password that cannot
    // be checked still costs one argon2id run at the current parameters: pass an empty storedHash
    // for an unknown user so that timing does not reveal which accounts exist.
    static Verification verify(const QString& storedHash, const QString& password);
    // For admin imports: true if verify() can check passwords against storedHash; otherwise
    // *why (if given) says what is wrong with it.
    static bool isSupportedHash(const QString& storedHash, QString* why = nullptr);
};

} // namespace promail
