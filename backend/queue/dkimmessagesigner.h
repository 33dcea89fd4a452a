#pragma once

#include "core/result.h"
#include "message/headerblock.h"
#include "queue/spool.h"

#include <QByteArray>
#include <QString>

namespace promail
{

class DkimKeyStore;

// Signs outgoing mail at spool time, so the signature covers the bytes the queue will send
// (issue 5): one DKIM-Signature per active key of the From domain. Only mail the server can
// vouch for is signed: from an authenticated sender, or whose envelope sender is in the From
// domain (a local envelope domain has passed the anti-spoofing check at MAIL FROM).
class DkimMessageSigner
{
public:
    explicit DkimMessageSigner(const DkimKeyStore& keys) : m_keys(keys) {}

    // The fields to put in front of the message (empty when nothing signs it). `headerBytes` is
    // the header section `header` was parsed from, the start of the file at `sourcePath`.
    Result<QByteArray> signatureFields(const QueueEnvelope& envelope, const HeaderBlock& header,
                                       const QByteArray& headerBytes, const QString& sourcePath) const;

    // The A-label domain of the (first) From address, empty when there is none.
    static QString fromDomain(const HeaderBlock& header);

private:
    const DkimKeyStore& m_keys;
};

} // namespace promail
