#pragma once

#include "core/result.h"

#include <QByteArray>

#include <optional>

namespace promail
{

class Database;

enum class QuotaResource
{
    Storage,
    Message,
};

// A mailbox's quota (RFC 9208): its usage from mailbox_usage and its limits from the mailbox row,
// STORAGE (mailboxes.quota_mib) and MESSAGE (mailboxes.quota_messages); 0 means no limit. The one
// check used by SMTP RCPT, IMAP APPEND, COPY and MOVE.
struct MailboxQuota
{
    qint64 usedBytes = 0;
    qint64 usedMessages = 0;
    qint64 limitBytes = 0;
    qint64 limitMessages = 0;

    static Result<MailboxQuota> read(const Database& database, qint64 mailboxId);
    // Nothing when `extraBytes` in `extraMessages` more messages still fit, else the exceeded resource.
    std::optional<QuotaResource> exceeded(qint64 extraBytes, qint64 extraMessages) const;
};

// The over-quota refusal: code TooLarge with field "quota" (STORAGE) or "quota_messages" (MESSAGE);
// IMAP answers NO [OVERQUOTA] (RFC 9208 §4.2), SMTP 452 4.2.2 (RFC 3463).
Error overQuotaError(qint64 mailboxId, QuotaResource resource = QuotaResource::Storage);
bool isOverQuota(const Error& error);
// "storage" or "message", for the refusal's text.
QByteArray overQuotaResource(const Error& error);

// Refuses (overQuotaError) when the messages would not fit in the mailbox's quota.
Status checkMailboxQuota(const Database& database, qint64 mailboxId, qint64 extraBytes, qint64 extraMessages);

} // namespace promail
