#pragma once

#include "delivery/inboundmessage.h"

#include <QFile>

#include <memory>
#include <optional>

namespace promail
{

// The state of one mail transaction (RFC 5321 §3.3), from MAIL to the end of the data.
struct SmtpTransaction
{
    QString sender;
    qint64 declaredSize = 0; // SIZE= (RFC 1870), 0 when not given
    QString envid;
    QString ret;
    bool smtputf8 = false;
    QList<InboundRecipient> recipients;

    // The message data as it arrives (DATA or BDAT chunks).
    std::unique_ptr<QFile> file;
    qint64 size = 0;
    bool tooLarge = false;
    bool writeFailed = false;
    bool bdat = false; // receiving BDAT chunks (RFC 3030)
    QByteArray head;   // the first bytes, kept for the header section

    ~SmtpTransaction()
    {
        if (file)
            file->remove();
    }
};

} // namespace promail
