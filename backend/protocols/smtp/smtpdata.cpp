// SmtpSession: the message data — DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030) — and its
// hand-over to delivery, which answers only once the message is durable.
#include "core/datapaths.h"
#include "core/logging.h"
#include "core/settingdefinitions.h"
#include "delivery/deliverypipeline.h"
#include "message/addresslist.h"
#include "policy/senderpolicy.h"
#include "protocols/abnf/cursor.h"
#include "protocols/smtp/smtpsession.h"
#include "storage/settingsstore.h"

#include <QDateTime>
#include <QLocale>
#include <QPointer>
#include <QSslCipher>
#include <QSslSocket>

#include <atomic>

using namespace Qt::StringLiterals;

namespace promail
{

QString SmtpSession::newTransactionId() const
{
    static std::atomic<quint32> counter{0};
    return QString::number(QDateTime::currentMSecsSinceEpoch(), 36).toUpper() +
           QString::number(++counter % 1296, 36).toUpper().rightJustified(2, u'0');
}

QByteArray SmtpSession::receivedHeader() const
{
    // RFC 5321 §4.4 trace field; RFC 3848 protocol types (ESMTPS: TLS, ESMTPA: authenticated).
    const QString protocol =
        QString(m_esmtp ? u"ESMTP"_s : u"SMTP"_s) + (m_tls ? u"S"_s : QString()) + (m_user ? u"A"_s : QString());
    QString text = u"Received: from %1 ([%2])\r\n\tby %3 (ProMail) with %4 id %5"_s.arg(
        m_heloName, m_client.toString(), m_services.hostname, protocol, m_transactionId);
    if (m_tls)
    {
        const QSslCipher cipher = m_socket->sessionCipher();
        text += u"\r\n\t(version=%1 cipher=%2)"_s.arg(cipher.protocolString(), cipher.name());
    }
    if (m_user)
        text += u"\r\n\t(authenticated user %1)"_s.arg(m_user->address());
    text += u";\r\n\t"_s + QLocale::c().toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy HH:mm:ss +0000"_s);
    return text.toUtf8() + "\r\n";
}

bool SmtpSession::openDataFile()
{
    const QString path = m_services.incomingDirectory + u'/' + uniqueFileName();
    m_transaction->file = std::make_unique<QFile>(path);
    if (!m_transaction->file->open(QIODevice::WriteOnly | QIODevice::NewOnly))
    {
        qCWarning(lcSmtp).noquote() << "cannot create" << path << ":" << m_transaction->file->errorString();
        m_transaction->file.reset();
        return false;
    }
    return true;
}

void SmtpSession::data(Cursor& cursor)
{
    cursor.skipSpaces();
    cursor.end();
    if (!cursor.ok())
    {
        fail(501, "5.5.4", u"Syntax: DATA"_s);
        return;
    }
    if (!m_transaction || m_transaction->bdat)
    {
        fail(503, "5.5.1", m_transaction ? u"Error: DATA after BDAT"_s : u"Error: need MAIL command"_s);
        return;
    }
    if (m_transaction->recipients.isEmpty())
    {
        fail(554, "5.5.1", u"Error: no valid recipients"_s);
        return;
    }
    if (!openDataFile())
    {
        reply(452, "4.3.1", u"Insufficient system storage"_s);
        return;
    }
    m_transactionId = newTransactionId();
    m_dataReader = DataReader();
    m_phase = Phase::Data;
    reply(354, {}, u"End data with <CR><LF>.<CR><LF>"_s);
}

void SmtpSession::bdat(Cursor& cursor)
{
    cursor.space();
    const qint64 size = cursor.number(12);
    bool last = false;
    if (cursor.ok() && !cursor.atEnd())
    {
        cursor.space();
        cursor.require("LAST");
        last = cursor.ok();
    }
    cursor.end();
    if (!cursor.ok())
    {
        // Without a valid size the chunk cannot be skipped: the session cannot continue.
        closeWith({501, "5.5.4", u"Syntax: BDAT size [LAST]"_s});
        return;
    }
    m_bdatLast = last;
    m_bdatRemaining = size;
    m_bdatDiscard.clear();
    // RFC 3030 §3: the chunk is read even when the command fails, then the error is given.
    if (!m_transaction)
        m_bdatDiscard = u"Error: need MAIL command"_s;
    else if (m_transaction->recipients.isEmpty())
        m_bdatDiscard = u"Error: no valid recipients"_s;
    else if (!m_transaction->bdat && m_transaction->file)
        m_bdatDiscard = u"Error: BDAT after DATA"_s;
    else if (!m_transaction->file)
    {
        m_transaction->bdat = true;
        m_transactionId = newTransactionId();
        if (!openDataFile())
            m_transaction->writeFailed = true;
    }
    m_phase = Phase::Bdat;
    if (m_bdatRemaining == 0)
        readBdatChunk();
}

void SmtpSession::readBdatChunk()
{
    const qsizetype take = qsizetype(std::min<qint64>(m_bdatRemaining, m_input.size()));
    if (m_bdatDiscard.isEmpty())
        takeData(QByteArrayView(m_input).first(take));
    m_input.remove(0, take);
    m_bdatRemaining -= take;
    if (m_bdatRemaining > 0)
        return;
    m_phase = Phase::Command;
    if (!m_bdatDiscard.isEmpty())
    {
        fail(m_bdatDiscard.contains(u"recipients"_s) ? 554 : 503, "5.5.1", m_bdatDiscard);
        return;
    }
    if (m_bdatLast)
        finishData();
    else
        reply(250, "2.0.0", u"%1 octets received"_s.arg(m_transaction->size));
}

void SmtpSession::takeData(QByteArrayView bytes)
{
    if (bytes.isEmpty() || !m_transaction)
        return;
    SmtpTransaction& t = *m_transaction;
    t.size += bytes.size();
    if (t.head.size() < kHeadBytes)
        t.head += bytes.first(std::min<qsizetype>(bytes.size(), kHeadBytes - t.head.size()));
    if (t.tooLarge || t.writeFailed)
        return;
    if (t.size > m_services.settings->intValue(settingkeys::kSmtpMaxMessageSize))
    {
        t.tooLarge = true; // keep reading to the end, then refuse (RFC 1870 §6.2)
        return;
    }
    if (!t.file || t.file->write(bytes.data(), bytes.size()) != bytes.size())
        t.writeFailed = true;
}

void SmtpSession::finishData()
{
    m_phase = Phase::Command;
    std::unique_ptr<SmtpTransaction> transaction = std::move(m_transaction);
    if (transaction->tooLarge)
    {
        reply(552, "5.3.4", u"Message size exceeds fixed maximum message size"_s);
        return;
    }
    if (transaction->file && !transaction->writeFailed)
    {
        transaction->writeFailed = !transaction->file->flush();
        transaction->file->close();
    }
    if (transaction->writeFailed || !transaction->file)
    {
        // Disk full or I/O error: a temporary failure; the client keeps the message (RFC 5321 §4.2.5).
        reply(452, "4.3.1", u"Insufficient system storage"_s);
        return;
    }

    InboundMessage message;
    message.header = HeaderBlock::parse(transaction->head);
    message.headerBytes =
        transaction->head.left(message.header.isComplete() ? message.header.bodyOffset() : transaction->head.size());
    if (m_user)
    {
        // Header From follows the same rule as MAIL FROM for authenticated senders.
        const SenderPolicy policy(*m_services.directory);
        for (const QByteArray& from : message.header.values("From"))
        {
            for (const HeaderAddress& address : parseAddressList(from).addresses)
            {
                const auto allowed = policy.mayUse(*m_user, address.address);
                if (!allowed || !*allowed)
                {
                    reply(553, "5.7.1",
                          u"<%1>: header From not owned by user %2"_s.arg(address.address, m_user->address()));
                    return;
                }
            }
        }
    }
    message.id = m_transactionId;
    message.sender = transaction->sender;
    message.recipients = transaction->recipients;
    message.envid = transaction->envid;
    message.ret = transaction->ret;
    message.spoolFile = transaction->file->fileName();
    message.size = transaction->size;
    message.received = receivedHeader();
    message.authenticatedUser = m_user ? m_user->address() : QString();
    message.clientAddress = m_client.toString();
    message.tls = m_tlsDescription;
    message.arrivedAt = QDateTime::currentDateTimeUtc();

    pause();
    const QString id = m_transactionId;
    // The transaction (and its spool file) lives until delivery has answered, or the session ends.
    m_delivering = std::move(transaction);
    m_services.delivery->deliver(message, this,
                                 [this, id](Status status)
                                 {
                                     m_delivering.reset();
                                     if (status.ok())
                                         reply(250, "2.0.0", u"Ok: queued as "_s + id);
                                     else if (status.error().code == ErrorCode::Unavailable)
                                         reply(452, "4.3.1", u"Insufficient system storage"_s);
                                     else
                                         reply(451, "4.3.0", u"Error: local delivery failed; try again later"_s);
                                     resume();
                                 });
}

} // namespace promail
