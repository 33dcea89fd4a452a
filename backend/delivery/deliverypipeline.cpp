#include "delivery/deliverypipeline.h"

#include "core/logging.h"
#include "directory/mailboxstore.h"
#include "mailstore/mailstore.h"
#include "message/addresslist.h"
#include "queue/dkimmessagesigner.h"
#include "queue/spool.h"
#include "storage/durablecommitter.h"

#include <QFile>
#include <QLocale>
#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

struct DeliveryPipeline::LocalCopy
{
    Mailbox mailbox;
    QString recipient; // the address that reached it (Delivered-To)
    QString tag;
    QString folder = u"INBOX"_s;
};

struct DeliveryPipeline::Plan
{
    QList<LocalCopy> copies;
    QueueEnvelope external;
    QString queueId;
};

namespace
{
constexpr qint64 kMiB = 1024 * 1024;

// A +tag becomes a folder name only when it is plain; anything else stays in INBOX.
bool isPlainFolderName(const QString& tag)
{
    if (tag.isEmpty() || tag.size() > 64 || tag.compare(u"INBOX"_s, Qt::CaseInsensitive) == 0)
        return false;
    for (QChar c : tag)
    {
        if (!c.isLetterOrNumber() && c != u'-' && c != u'_' && c != u'.')
            return false;
    }
    return true;
}

QSet<QString> directRecipients(const HeaderBlock& header)
{
    QSet<QString> addresses;
    for (const QByteArray& name : {"To"_ba, "Cc"_ba})
    {
        for (const QByteArray& value : header.values(name))
        {
            for (const HeaderAddress& address : parseAddressList(value).addresses)
                addresses.insert(address.address.toLower());
        }
    }
    return addresses;
}

// The header section with "[tag] " before the Subject (seed 001 sub-addressing, "subject" mode).
QByteArray headerWithTaggedSubject(const InboundMessage& message, const QString& tag)
{
    QByteArray out;
    bool seen = false;
    const QByteArray marker = '[' + tag.toUtf8() + "] ";
    for (const HeaderField& field : message.header.fields())
    {
        if (!seen && field.name.compare("Subject", Qt::CaseInsensitive) == 0)
        {
            seen = true;
            out += "Subject: " + marker + field.value + "\r\n";
            continue;
        }
        out += message.headerBytes.mid(field.offset, field.length);
    }
    if (!seen)
        out += "Subject: " + marker.trimmed() + "\r\n";
    return out + "\r\n";
}
} // namespace

DeliveryPipeline::DeliveryPipeline(const DirectoryContext& directory, const MailStore& store, const Spool& spool,
                                   DurableCommitter& committer, QString hostname, const DkimKeyStore* dkimKeys)
    : m_directory(directory), m_store(store), m_spool(spool), m_committer(committer), m_hostname(std::move(hostname)),
      m_dkimKeys(dkimKeys)
{
}

Result<DeliveryPipeline::Plan> DeliveryPipeline::plan(const InboundMessage& message) const
{
    Plan plan;
    plan.external.sender = message.sender;
    plan.external.envid = message.envid;
    plan.external.ret = message.ret;
    plan.external.authenticatedUser = message.authenticatedUser;
    plan.external.clientAddress = message.clientAddress;
    plan.external.messageId = parseMessageId(message.header.value("Message-ID"));

    const QSet<QString> direct = directRecipients(message.header);
    QSet<qint64> seenMailboxes;
    QSet<QString> seenExternal;
    const MailboxStore mailboxes(m_directory);
    for (const InboundRecipient& recipient : message.recipients)
    {
        for (const LocalRecipient& local : recipient.resolution.mailboxes)
        {
            // Stored once per mailbox; a list member who is also a direct To/Cc recipient gets the
            // copy addressed to them, not the list's.
            if (seenMailboxes.contains(local.mailboxId))
                continue;
            if (local.viaList && direct.contains(local.address.toLower()) && !recipient.address.isEmpty() &&
                recipient.address.compare(local.address, Qt::CaseInsensitive) != 0)
                continue;
            const auto mailbox = mailboxes.get(local.address);
            if (!mailbox)
                return mailbox.error();
            seenMailboxes.insert(local.mailboxId);
            LocalCopy copy{*mailbox, recipient.address, local.tag};
            if (mailbox->taggedMail == TaggedMail::Folder && isPlainFolderName(local.tag))
                copy.folder = local.tag;
            plan.copies.append(copy);
        }
        for (const QString& address : recipient.resolution.external)
        {
            const bool viaList = recipient.resolution.externalViaList.contains(address, Qt::CaseInsensitive);
            if (seenExternal.contains(address.toLower()) || (viaList && direct.contains(address.toLower())))
                continue;
            seenExternal.insert(address.toLower());
            QueuedRecipient queued;
            queued.address = address;
            // RFC 3461 §4.2: ORCPT is the address the sender used, also for forwarded copies.
            queued.orcpt = recipient.orcpt.isEmpty() ? u"rfc822;"_s + recipient.address : recipient.orcpt;
            queued.notify = recipient.notify;
            plan.external.recipients.append(queued);
        }
    }
    return plan;
}

Result<CommitJob> DeliveryPipeline::prepare(const InboundMessage& message, Plan& plan) const
{
    CommitJob combined;
    QList<std::function<Status(const Database&)>> rows;
    if (!plan.copies.isEmpty())
    {
        QList<Delivery> deliveries;
        for (const LocalCopy& copy : plan.copies)
        {
            Delivery delivery;
            delivery.mailboxId = copy.mailbox.id;
            delivery.domain = copy.mailbox.domain;
            delivery.localPart = copy.mailbox.localPart;
            delivery.folder = copy.folder;
            delivery.messageId = plan.external.messageId;
            // RFC 5321 §4.4: Return-Path is added by the final delivery; Delivered-To records the
            // envelope recipient that led here (loop detection).
            delivery.prefix = "Return-Path: <" + message.sender.toUtf8() +
                              ">\r\nDelivered-To: " + copy.mailbox.address().toUtf8() + "\r\n" + message.received;
            if (copy.mailbox.taggedMail == TaggedMail::Subject && !copy.tag.isEmpty() && message.header.isComplete())
            {
                delivery.prefix += headerWithTaggedSubject(message, copy.tag);
                delivery.sourceOffset = message.header.bodyOffset();
            }
            deliveries.append(delivery);
        }
        auto job = m_store.prepare(deliveries, message.spoolFile, message.arrivedAt);
        if (!job)
            return job.error();
        combined.files += job->files;
        rows.append(job->rows);
    }
    if (!plan.external.recipients.isEmpty())
    {
        // DKIM-Signature fields go in front, over the final bytes the queue will send (RFC 6376 §5).
        QByteArray prefix = message.received;
        if (m_dkimKeys)
        {
            const auto signatures =
                DkimMessageSigner(*m_dkimKeys)
                    .signatureFields(plan.external, message.header, message.headerBytes, message.spoolFile);
            if (!signatures)
            {
                for (const FileCommit& file : combined.files)
                    QFile::remove(file.tempPath);
                return signatures.error();
            }
            prefix = *signatures + prefix;
        }
        auto queued = m_spool.prepare(plan.external, prefix, message.spoolFile);
        if (!queued)
        {
            for (const FileCommit& file : combined.files)
                QFile::remove(file.tempPath);
            return queued.error();
        }
        plan.queueId = queued->queueId;
        combined.files += queued->job.files;
        rows.append(queued->job.rows);
    }
    combined.rows = [rows](const Database& database) -> Status
    {
        for (const auto& step : rows)
        {
            if (const Status status = step(database); !status)
                return status;
        }
        return {};
    };
    return combined;
}

void DeliveryPipeline::deliver(const InboundMessage& message, QObject* receiver, std::function<void(Status)> done) const
{
    auto planned = plan(message);
    if (!planned)
    {
        logResult(message, {}, planned.error());
        done(planned.error());
        return;
    }
    auto shared = std::make_shared<Plan>(std::move(planned.value()));
    auto job = prepare(message, *shared);
    if (!job)
    {
        logResult(message, *shared, job.error());
        done(job.error());
        return;
    }
    m_committer.submit(std::move(job.value()), receiver,
                       [this, message, shared, receiver, done](Status status)
                       {
                           logResult(message, *shared, status);
                           if (status.ok())
                               sendQuotaWarnings(*shared, receiver);
                           done(status);
                       });
}

void DeliveryPipeline::logResult(const InboundMessage& message, const Plan& plan, const Status& status) const
{
    const QString result = status.ok() ? u"stored"_s : u"failed: "_s + status.error().message;
    const double delay = message.arrivedAt.msecsTo(QDateTime::currentDateTimeUtc()) / 1000.0;
    const QString messageId = parseMessageId(message.header.value("Message-ID"));
    const auto line = [&](const QString& to, const QString& where)
    {
        qCInfo(lcDelivery).noquote().nospace()
            << "id=" << message.id << " message_id=<" << messageId << "> from=<" << message.sender << "> to=<" << to
            << "> " << where << " result=" << result << " size=" << message.size << " delay=" << delay
            << "s tls=" << (message.tls.isEmpty() ? u"none"_s : message.tls);
    };
    for (const LocalCopy& copy : plan.copies)
        line(copy.mailbox.address(), u"mailbox="_s + copy.folder);
    for (const QueuedRecipient& recipient : plan.external.recipients)
        line(recipient.address, u"queue="_s + plan.queueId);
    if (plan.copies.isEmpty() && plan.external.recipients.isEmpty())
        line({}, u"nowhere"_s);
}

void DeliveryPipeline::sendQuotaWarnings(const Plan& plan, QObject* receiver) const
{
    for (const LocalCopy& copy : plan.copies)
    {
        if (copy.mailbox.quotaMib <= 0)
            continue;
        const auto usage = m_store.usage(copy.mailbox.id);
        if (!usage)
            continue;
        const qint64 percent = usage->bytes * 100 / (copy.mailbox.quotaMib * kMiB);
        // Issue 3: a warning when the mailbox first crosses 80% and again at 95%.
        const int threshold = percent >= 95 ? 95 : percent >= 80 ? 80 : 0;
        if (threshold == 0 || usage->warnedPercent >= threshold)
            continue;
        if (const Status sent = sendQuotaWarning(copy.mailbox, threshold, usage->bytes, receiver); !sent)
            qCWarning(lcDelivery).noquote()
                << "cannot send the quota warning to" << copy.mailbox.address() << ":" << sent.error().message;
    }
}

Status DeliveryPipeline::sendQuotaWarning(const Mailbox& mailbox, int percent, qint64 usedBytes,
                                          QObject* receiver) const
{
    if (const Status marked = m_store.setWarnedPercent(mailbox.id, percent); !marked)
        return marked;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString id = uniqueFileName();
    const QByteArray text =
        "From: Mail Delivery System <postmaster@" + mailbox.domain.toUtf8() + ">\r\nTo: <" +
        mailbox.address().toUtf8() + ">\r\nSubject: Your mailbox is " + QByteArray::number(percent) +
        "% full\r\nDate: " + QLocale::c().toString(now, u"ddd, dd MMM yyyy HH:mm:ss +0000"_s).toUtf8() +
        "\r\nMessage-ID: <" + id.toUtf8() + "@" + m_hostname.toUtf8() +
        ">\r\nAuto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Your mailbox " +
        mailbox.address().toUtf8() + " uses " + QByteArray::number(usedBytes / kMiB) + " MiB of its " +
        QByteArray::number(mailbox.quotaMib) + " MiB quota (" + QByteArray::number(percent) +
        "%).\r\nWhen it is full, new mail is refused. Delete or archive old messages to make room.\r\n";
    const QString source = m_directory.paths.incoming() + u"/quota-"_s + id;
    QFile file(source);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return Error{ErrorCode::Unavailable, u"cannot write %1"_s.arg(source), {}};
    file.close();
    Delivery delivery;
    delivery.mailboxId = mailbox.id;
    delivery.domain = mailbox.domain;
    delivery.localPart = mailbox.localPart;
    delivery.prefix = "Return-Path: <>\r\nDelivered-To: " + mailbox.address().toUtf8() + "\r\n";
    auto job = m_store.prepare({delivery}, source, now);
    QFile::remove(source);
    if (!job)
        return job.error();
    m_committer.submit(std::move(job.value()), receiver, [](Status) {});
    return {};
}

} // namespace promail
