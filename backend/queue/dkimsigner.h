#pragma once

#include "core/result.h"
#include "message/headerblock.h"
#include "queue/dkimcanonicalization.h"
#include "queue/dkimkey.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

// A key and the names it signs under: d= and s=.
struct DkimSigningKey
{
    QString domain;   // A-label
    QString selector; // lower case
    DkimKey key;
};

// Builds DKIM-Signature fields (RFC 6376 §3.5) with relaxed/relaxed canonicalization, SHA-256,
// never l=; From is over-signed so that no From can be added later (RFC 6376 §8.15).
class DkimSigner
{
public:
    // The h= list for this header section: From once more than it occurs, then each of
    // kSignedFields present, as often as it occurs (RFC 6376 §5.4.2), in lower case.
    static QList<QByteArray> signedFieldNames(const HeaderBlock& header);

    // The data the signature covers (RFC 6376 §3.7): the canonical fields named in `names`,
    // each name taking the next instance from the bottom of the header (a name with no instance
    // left adds nothing), then `signatureField` (b= empty, no final CRLF) canonicalized.
    static QByteArray headerHashInput(DkimCanonicalization mode, const QByteArray& headerBytes,
                                      const HeaderBlock& header, const QList<QByteArray>& names,
                                      const QByteArray& signatureField);

    // The "DKIM-Signature: ..." field, CRLF-terminated and folded within 78 columns, for a message
    // whose header section is `headerBytes` (parsed as `header`) and whose canonical body hashes
    // to `bodyHash` (DkimBodyHasher, relaxed).
    static Result<QByteArray> signatureField(const DkimSigningKey& key, const QByteArray& headerBytes,
                                             const HeaderBlock& header, const QByteArray& bodyHash, qint64 timestamp);

    // The whole message in memory: the signature field to put in front of it.
    static Result<QByteArray> sign(const DkimSigningKey& key, const QByteArray& message, qint64 timestamp);

    // The relaxed body hash of the file at `path` from byte `offset` on, read in chunks.
    static Result<QByteArray> bodyHashOfFile(const QString& path, qint64 offset);
};

} // namespace promail
