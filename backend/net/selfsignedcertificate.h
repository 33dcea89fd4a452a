#pragma once

#include "core/result.h"

#include <QString>

namespace promail
{

// The certificate promaild makes for itself when [tls] cert/key are absent (ARCHITECTURE.md
// "Interface contract"), built with OpenSSL 3 directly: Qt can read certificates but not make them.
class SelfSignedCertificate
{
public:
    // RSA 2048, SHA-256, CN and subjectAltName DNS:hostname, valid 10 years, random serial.
    // Neither file may exist; the key is created 0600, the certificate 0644, both fsync'd
    // under a temporary name and renamed into place, so a crash never leaves half a file.
    static Status generate(const QString& hostname, const QString& certPath, const QString& keyPath);
};

} // namespace promail
