#include "mailstore/mailboxquota.h"

#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace promail
{

Result<MailboxQuota> MailboxQuota::read(const Database& database, qint64 mailboxId)
{
    auto query = database.run(u"SELECT m.quota_mib, m.quota_messages, COALESCE(u.bytes, 0), COALESCE(u.messages, 0) "
                              "FROM mailboxes m LEFT JOIN mailbox_usage u ON u.mailbox_id = m.id WHERE m.id = ?"_s,
                              {mailboxId});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
    MailboxQuota quota;
    quota.limitBytes = query->value(0).toLongLong() * 1024 * 1024;
    quota.limitMessages = query->value(1).toLongLong();
    quota.usedBytes = query->value(2).toLongLong();
    quota.usedMessages = query->value(3).toLongLong();
    query->finish();
    return quota;
}

std::optional<QuotaResource> MailboxQuota::exceeded(qint64 extraBytes, qint64 extraMessages) const
{
    // RFC 9208 §5.1 STORAGE and §5.2 MESSAGE.
    if (limitBytes > 0 && usedBytes + extraBytes > limitBytes)
        return QuotaResource::Storage;
    if (limitMessages > 0 && usedMessages + extraMessages > limitMessages)
        return QuotaResource::Message;
    return std::nullopt;
}

Error overQuotaError(qint64 mailboxId, QuotaResource resource)
{
    const bool storage = resource == QuotaResource::Storage;
    return Error{ErrorCode::TooLarge,
                 u"mailbox %1 is over its %2 quota"_s.arg(mailboxId).arg(storage ? u"storage"_s : u"message"_s),
                 storage ? u"quota"_s : u"quota_messages"_s};
}

bool isOverQuota(const Error& error)
{
    return error.code == ErrorCode::TooLarge && (error.field == u"quota"_s || error.field == u"quota_messages"_s);
}

QByteArray overQuotaResource(const Error& error)
{
    return error.field == u"quota_messages"_s ? "message"_ba : "storage"_ba;
}

Status checkMailboxQuota(const Database& database, qint64 mailboxId, qint64 extraBytes, qint64 extraMessages)
{
    const auto quota = MailboxQuota::read(database, mailboxId);
    if (!quota)
        return quota.error();
    if (const auto resource = quota->exceeded(extraBytes, extraMessages))
        return overQuotaError(mailboxId, *resource);
    return {};
}

} // namespace promail
