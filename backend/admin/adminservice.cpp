#include "admin/adminservice.h"

#include "admin/params.h"
#include "core/logging.h"
#include "storage/eventlog.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Secrets never reach the event log (or any log).
QJsonObject redacted(QJsonObject params)
{
    for (const QString& key : {u"password"_s, u"password_hash"_s, u"private_key"_s})
    {
        if (params.contains(key))
            params.insert(key, u"(redacted)"_s);
    }
    return params;
}

// "mailboxes.create" → "mailboxes.created" (ARCHITECTURE.md: events are <resource>.<past tense>).
QString eventName(const QString& method)
{
    const qsizetype dot = method.lastIndexOf(u'.');
    const QString verb = method.mid(dot + 1);
    static const QHash<QString, QString> past{{u"create"_s, u"created"_s},
                                              {u"update"_s, u"updated"_s},
                                              {u"delete"_s, u"deleted"_s},
                                              {u"set"_s, u"changed"_s}};
    return method.left(dot + 1) + past.value(verb, verb + (verb.endsWith(u'e') ? u"d"_s : u"ed"_s));
}
} // namespace

AdminService::AdminService(AdminContext context, QObject* parent) : QObject(parent), m_context(std::move(context))
{
    addDirectoryOperations();
    if (m_context.dkimKeys)
        addDkimOperations();
    addSystemOperations();
    if (m_context.spool)
        addQueueOperations();
    if (m_context.bans || m_context.forwardingHosts)
        addPolicyOperations();
}

void AdminService::add(const QString& method, Operation operation)
{
    Q_ASSERT(!m_operations.contains(method));
    m_operations.insert(method, std::move(operation));
}

QStringList AdminService::methods() const
{
    QStringList names = m_operations.keys();
    names.sort();
    return names;
}

Result<QJsonValue> AdminService::call(const QString& method, const QJsonObject& params, const Actor& actor)
{
    const auto it = m_operations.constFind(method);
    if (it == m_operations.constEnd())
        return Error::notFound(u"there is no method '%1'"_s.arg(method));
    if (it->mutates && actor.readOnly)
        return Error::forbidden(u"%1 changes the configuration; this caller has read-only access"_s.arg(method));
    Params reader(params);
    auto result = it->run(reader);
    if (!result)
        return result;
    if (it->mutates)
    {
        // The canonical name from the result (A-label, lower case) when there is one.
        const QString target = result->toObject().value(it->targetKey).toString(params.value(it->targetKey).toString());
        const QJsonObject details = redacted(params);
        if (const Status logged = m_context.eventLog.record(actor.name, method, target, details); !logged)
            qCWarning(lcAdmin).noquote() << "cannot record" << method << "in the event log:" << logged.error().message;
        qCInfo(lcAdmin).noquote() << actor.name << method << target;
        Q_EMIT eventOccurred(eventName(method), QJsonObject{{u"target"_s, target}, {u"actor"_s, actor.name}});
    }
    return result;
}

} // namespace promail
