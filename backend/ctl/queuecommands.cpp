#include "commandcontext.h"
#include "commandhandlers.h"
#include "commandtable.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

const QStringList kMessageFields{
    u"queue_id"_s,       u"status"_s,     u"sender"_s, u"size"_s, u"held"_s,
    u"created_at"_s,     u"message_id"_s, u"envid"_s,  u"ret"_s,  u"authenticated_user"_s,
    u"client_address"_s,
};

// The null reverse-path (RFC 5321 §4.5.5: bounces) reads as it does on the wire.
QString sender(const QJsonObject& message)
{
    const QString address = message.value(u"sender"_s).toString();
    return address.isEmpty() ? u"<>"_s : address;
}

// One word for the whole message: held, else the state of the recipients that keep it queued.
QString statusSummary(const QJsonObject& message)
{
    if (message.value(u"held"_s).toBool())
        return u"held"_s;
    QStringList statuses;
    for (const QJsonValue& recipient : message.value(u"recipients"_s).toArray())
        statuses << recipient.toObject().value(u"status"_s).toString();
    for (const QString& status : {u"deferred"_s, u"pending"_s, u"failed"_s, u"delivered"_s})
    {
        if (statuses.contains(status))
            return status;
    }
    return statuses.value(0);
}

QString firstRecipient(const QJsonObject& message)
{
    const QJsonArray recipients = message.value(u"recipients"_s).toArray();
    if (recipients.isEmpty())
        return {};
    const QString first = recipients.first().toObject().value(u"address"_s).toString();
    return recipients.size() > 1 ? first + u" +"_s + QString::number(recipients.size() - 1) : first;
}

// How long the message has been queued: "42s", "5m", "3h", "2d" (whole units, rounded down).
QString age(const QJsonObject& message)
{
    const QDateTime created = QDateTime::fromString(message.value(u"created_at"_s).toString(), Qt::ISODate);
    if (!created.isValid())
        return {};
    const qint64 seconds = std::max<qint64>(0, created.secsTo(QDateTime::currentDateTimeUtc()));
    if (seconds < 60)
        return QString::number(seconds) + u's';
    if (seconds < 3600)
        return QString::number(seconds / 60) + u'm';
    if (seconds < 86400)
        return QString::number(seconds / 3600) + u'h';
    return QString::number(seconds / 86400) + u'd';
}

// queue.get: the message's fields, then one "recipient:" block per recipient.
int showMessage(CommandContext& context)
{
    const rpc::Response response = context.call(u"queue.get"_s, context.params());
    if (response.error)
        return context.fail(response);
    if (context.output().isJson())
    {
        context.output().json(response.result);
        return ExitOk;
    }
    QJsonObject message = response.result.toObject();
    const QJsonArray recipients = message.value(u"recipients"_s).toArray();
    message.insert(u"status"_s, statusSummary(message));
    message.insert(u"sender"_s, sender(message));
    message.remove(u"recipients"_s);
    context.output().object(message, kMessageFields);

    QString out;
    for (const QJsonValue& value : recipients)
    {
        const QJsonObject recipient = value.toObject();
        out += u"recipient: "_s + recipient.value(u"address"_s).toString() + u'\n';
        for (const QString& key :
             {u"status"_s, u"attempts"_s, u"next_attempt_at"_s, u"last_error"_s, u"notify"_s, u"orcpt"_s})
        {
            const QString text = Output::text(recipient.value(key));
            if (!text.isEmpty() && recipient.contains(key))
                out += u"  "_s + key + u": "_s + text + u'\n';
        }
    }
    if (!out.isEmpty())
    {
        out.chop(1); // print() ends the last line
        Output::print(out);
    }
    return ExitOk;
}

} // namespace

QList<Command> queueCommands()
{
    using namespace handlers;
    const QList<Column> columns{
        {u"QUEUE_ID"_s, u"queue_id"_s}, {u"FROM"_s, {}, sender},          {u"TO"_s, {}, firstRecipient},
        {u"SIZE"_s, u"size"_s},         {u"STATUS"_s, {}, statusSummary}, {u"AGE"_s, {}, age},
    };
    return {
        {u"queue"_s,
         u"list"_s,
         {},
         {Flag::text(u"--q"_s, u"q"_s, u"S"_s), Flag::integer(u"--limit"_s, u"limit"_s)},
         list(u"queue.list"_s, columns)},
        {u"queue"_s, u"show"_s, {{u"QUEUE_ID"_s, u"queue_id"_s}}, {}, showMessage},
    };
}

} // namespace promail
