#pragma once

#include "directory/recipientresolver.h"
#include "message/headerblock.h"

#include <QDateTime>
#include <QString>

namespace promail
{

// One envelope recipient as accepted at RCPT time, with what the directory made of it.
struct InboundRecipient
{
    QString address; // as given in RCPT TO (after <postmaster> completion)
    QString orcpt;   // RFC 3461 ORCPT, xtext-decoded
    QString notify;  // RFC 3461 NOTIFY
    Resolution resolution;
};

// A message received by a protocol, spooled to a file, ready for delivery.
struct InboundMessage
{
    QString id;     // the transaction id (Received "id", logs)
    QString sender; // MAIL FROM; "" for the null reverse-path
    QList<InboundRecipient> recipients;
    QString envid;             // RFC 3461 ENVID
    QString ret;               // RFC 3461 RET
    QString spoolFile;         // the message as received, without any header added here
    qint64 size = 0;           // bytes in spoolFile
    HeaderBlock header;        // parsed from the start of the message
    QByteArray headerBytes;    // the bytes HeaderBlock was parsed from (the whole header section)
    QByteArray received;       // the Received: field(s) to add, CRLF-terminated
    QString authenticatedUser; // "" when not authenticated
    QString clientAddress;
    QString tls; // "TLSv1.3 TLS_AES_256_GCM_SHA384" or ""
    QDateTime arrivedAt;
};

} // namespace promail
