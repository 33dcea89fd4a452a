#include "queue/dkimmessagesigner.h"

#include "message/addresslist.h"
#include "queue/dkimkeystore.h"
#include "queue/dkimsigner.h"
#include "queue/queuelogging.h"

#include <QDateTime>
#include <QFileInfo>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QString domainOf(const QString& address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString() : QString::fromLatin1(QUrl::toAce(address.mid(at + 1))).toLower();
}
} // namespace

QString DkimMessageSigner::fromDomain(const HeaderBlock& header)
{
    const QList<HeaderAddress> from = parseAddressList(header.value("From")).addresses;
    return from.isEmpty() ? QString() : domainOf(from.first().address);
}

Result<QByteArray> DkimMessageSigner::signatureFields(const QueueEnvelope& envelope, const HeaderBlock& header,
                                                      const QByteArray& headerBytes, const QString& sourcePath) const
{
    const QString domain = fromDomain(header);
    if (domain.isEmpty() || !header.isValid())
        return QByteArray();
    if (envelope.authenticatedUser.isEmpty() && domainOf(envelope.sender) != domain)
        return QByteArray(); // e.g. mail from elsewhere forwarded by an alias: not ours to vouch for
    const QList<DkimSigningKey> keys = m_keys.signingKeys(domain);
    if (keys.isEmpty())
        return QByteArray();
    // A header section cut short (no empty line within what was parsed) cannot be signed reliably,
    // unless it is the whole message.
    const qint64 fileSize = QFileInfo(sourcePath).size();
    if (!header.isComplete() && headerBytes.size() != fileSize)
    {
        qCWarning(lcQueue).noquote() << "not signing a message from" << domain << ": its header section is too large";
        return QByteArray();
    }
    const auto bodyHash = DkimSigner::bodyHashOfFile(sourcePath, headerBytes.size());
    if (!bodyHash)
        return bodyHash.error();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QByteArray fields;
    for (const DkimSigningKey& key : keys)
    {
        const auto field = DkimSigner::signatureField(key, headerBytes, header, *bodyHash, now);
        if (!field)
        {
            qCWarning(lcQueue).noquote() << "cannot sign with DKIM key" << key.selector << "of" << domain << ":"
                                         << field.error().message;
            continue;
        }
        fields += *field;
    }
    return fields;
}

} // namespace promail
