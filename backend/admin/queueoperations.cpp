// AdminService: the outbound queue's operations (docs/admin-api.md "queue").
#include "admin/adminservice.h"
#include "admin/directorycodec.h"
#include "queue/spool.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QJsonObject toJson(const QueuedRecipient& r)
{
    return {{u"address"_s, r.address},      {u"status"_s, r.status},
            {u"attempts"_s, r.attempts},    {u"next_attempt_at"_s, codec::timestamp(r.nextAttemptAt)},
            {u"last_error"_s, r.lastError}, {u"orcpt"_s, r.orcpt},
            {u"notify"_s, r.notify}};
}

// The message file's path stays inside the server: clients name a message by its queue id.
QJsonObject toJson(const QueueEntry& e)
{
    QJsonArray recipients;
    for (const QueuedRecipient& recipient : e.envelope.recipients)
        recipients.append(toJson(recipient));
    return {{u"queue_id"_s, e.queueId},
            {u"sender"_s, e.envelope.sender},
            {u"recipients"_s, recipients},
            {u"size"_s, e.size},
            {u"message_id"_s, e.envelope.messageId},
            {u"envid"_s, e.envelope.envid},
            {u"ret"_s, e.envelope.ret},
            {u"authenticated_user"_s, e.envelope.authenticatedUser},
            {u"client_address"_s, e.envelope.clientAddress},
            {u"held"_s, e.held},
            {u"created_at"_s, codec::timestamp(e.createdAt)}};
}
} // namespace

void AdminService::addQueueOperations()
{
    const Spool& spool = *m_context.spool;

    add(u"queue.list"_s,
        {false,
         {},
         [&spool](Params& p) -> Result<QJsonValue>
         {
             const PageRequest request = codec::readPage(p);
             if (const Status s = p.finish(); !s)
                 return s.error();
             const auto page = spool.list(request);
             if (!page)
                 return page.error();
             QJsonArray items;
             for (const QueueEntry& entry : page->items)
                 items.append(toJson(entry));
             return QJsonValue(QJsonObject{
                 {u"items"_s, items},
                 {u"next_cursor"_s, page->nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page->nextCursor)}});
         }});
    add(u"queue.get"_s, {false,
                         {},
                         [&spool](Params& p) -> Result<QJsonValue>
                         {
                             const QString queueId = p.required(u"queue_id"_s);
                             if (const Status s = p.finish(); !s)
                                 return s.error();
                             const auto entry = spool.get(queueId);
                             if (!entry)
                                 return entry.error();
                             return QJsonValue(toJson(*entry));
                         }});
}

} // namespace promail
