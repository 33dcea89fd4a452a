#include "admin/directorycodec.h"

using namespace Qt::StringLiterals;

namespace promail::codec
{

QString timestamp(const QDateTime& at)
{
    return at.toUTC().toString(Qt::ISODate);
}

QJsonObject toJson(const Domain& d)
{
    return {{u"name"_s, d.name},
            {u"name_unicode"_s, d.nameUnicode},
            {u"description"_s, d.description},
            {u"active"_s, d.active},
            {u"max_mailboxes"_s, d.maxMailboxes},
            {u"max_aliases"_s, d.maxAliases},
            {u"quota_mib"_s, d.quotaMib},
            {u"default_quota_mib"_s, d.defaultQuotaMib},
            {u"max_quota_mib"_s, d.maxQuotaMib},
            {u"postmaster"_s, d.postmaster.isEmpty() ? QJsonValue() : QJsonValue(d.postmaster)},
            {u"catch_all"_s, QJsonArray::fromStringList(d.catchAll)},
            {u"mailbox_count"_s, d.mailboxCount},
            {u"alias_count"_s, d.aliasCount},
            {u"allocated_quota_mib"_s, d.allocatedQuotaMib},
            {u"created_at"_s, timestamp(d.createdAt)},
            {u"updated_at"_s, timestamp(d.updatedAt)}};
}

QJsonObject toJson(const DomainAlias& a)
{
    return {
        {u"name"_s, a.name},     {u"name_unicode"_s, a.nameUnicode},        {u"target"_s, a.target},
        {u"active"_s, a.active}, {u"created_at"_s, timestamp(a.createdAt)}, {u"updated_at"_s, timestamp(a.updatedAt)}};
}

QJsonObject toJson(const Mailbox& m)
{
    return {{u"address"_s, m.address()},
            {u"domain"_s, m.domain},
            {u"local_part"_s, m.localPart},
            {u"name"_s, m.displayName},
            {u"quota_mib"_s, m.quotaMib},
            {u"quota_messages"_s, m.quotaMessages},
            {u"active"_s, m.active},
            {u"imap"_s, m.imap},
            {u"pop3"_s, m.pop3},
            {u"smtp"_s, m.smtp},
            {u"sieve"_s, m.sieve},
            {u"tagged_mail"_s, taggedMailName(m.taggedMail)},
            {u"allow_masquerade"_s, m.allowMasquerade},
            {u"created_at"_s, timestamp(m.createdAt)},
            {u"updated_at"_s, timestamp(m.updatedAt)}};
}

QJsonObject toJson(const Alias& a)
{
    return {{u"address"_s, a.address()},
            {u"domain"_s, a.domain},
            {u"destinations"_s, QJsonArray::fromStringList(a.destinations)},
            {u"active"_s, a.active},
            {u"wildcard"_s, a.isWildcard()},
            {u"system"_s, a.system},
            {u"created_at"_s, timestamp(a.createdAt)},
            {u"updated_at"_s, timestamp(a.updatedAt)}};
}

QJsonObject toJson(const MailingList& l)
{
    return {{u"address"_s, l.address()},
            {u"domain"_s, l.domain},
            {u"description"_s, l.description},
            {u"members"_s, QJsonArray::fromStringList(l.members)},
            {u"members_only"_s, l.membersOnly},
            {u"active"_s, l.active},
            {u"created_at"_s, timestamp(l.createdAt)},
            {u"updated_at"_s, timestamp(l.updatedAt)}};
}

QJsonObject toJson(const Resolution& r)
{
    QJsonArray mailboxes;
    for (const LocalRecipient& recipient : r.mailboxes)
        mailboxes.append(QJsonObject{{u"address"_s, recipient.address}, {u"tag"_s, recipient.tag}});
    return {{u"status"_s, resolutionStatusName(r.status)},
            {u"mailboxes"_s, mailboxes},
            {u"external"_s, QJsonArray::fromStringList(r.external)},
            {u"lists"_s, QJsonArray::fromStringList(r.lists)},
            {u"reason"_s, r.reason}};
}

QJsonObject toJson(const Event& e)
{
    return {{u"id"_s, e.id},         {u"at"_s, timestamp(e.at)}, {u"actor"_s, e.actor},
            {u"action"_s, e.action}, {u"target"_s, e.target},    {u"details"_s, e.details}};
}

PageRequest readPage(Params& params)
{
    PageRequest request;
    request.query = params.string(u"q"_s).value_or(QString());
    request.limit = int(params.integer(u"limit"_s, 1, PageRequest::kMaxLimit).value_or(PageRequest::kDefaultLimit));
    request.cursor = params.string(u"cursor"_s).value_or(QString());
    return request;
}

DomainInput readDomain(Params& params)
{
    DomainInput input;
    input.name = params.required(u"name"_s);
    input.description = params.string(u"description"_s);
    input.active = params.boolean(u"active"_s);
    input.maxMailboxes = params.integer(u"max_mailboxes"_s, 0, 1000000);
    input.maxAliases = params.integer(u"max_aliases"_s, 0, 1000000);
    input.quotaMib = params.integer(u"quota_mib"_s);
    input.defaultQuotaMib = params.integer(u"default_quota_mib"_s);
    input.maxQuotaMib = params.integer(u"max_quota_mib"_s);
    input.postmaster = params.string(u"postmaster"_s);
    input.catchAll = params.stringList(u"catch_all"_s);
    return input;
}

DomainAliasInput readDomainAlias(Params& params)
{
    DomainAliasInput input;
    input.name = params.required(u"name"_s);
    input.target = params.string(u"target"_s);
    input.active = params.boolean(u"active"_s);
    return input;
}

MailboxInput readMailbox(Params& params)
{
    MailboxInput input;
    input.address = params.required(u"address"_s);
    input.password = params.string(u"password"_s);
    input.passwordHash = params.string(u"password_hash"_s);
    input.displayName = params.string(u"name"_s);
    input.quotaMib = params.integer(u"quota_mib"_s);
    input.quotaMessages = params.integer(u"quota_messages"_s);
    input.active = params.boolean(u"active"_s);
    input.imap = params.boolean(u"imap"_s);
    input.pop3 = params.boolean(u"pop3"_s);
    input.smtp = params.boolean(u"smtp"_s);
    input.sieve = params.boolean(u"sieve"_s);
    if (const auto mode = params.choice(u"tagged_mail"_s, {u"inbox"_s, u"folder"_s, u"subject"_s}))
        input.taggedMail = taggedMailFromName(*mode);
    input.allowMasquerade = params.boolean(u"allow_masquerade"_s);
    return input;
}

AliasInput readAlias(Params& params)
{
    AliasInput input;
    input.address = params.required(u"address"_s);
    input.destinations = params.stringList(u"destinations"_s);
    input.active = params.boolean(u"active"_s);
    return input;
}

MailingListInput readList(Params& params)
{
    MailingListInput input;
    input.address = params.required(u"address"_s);
    input.members = params.stringList(u"members"_s);
    input.membersOnly = params.boolean(u"members_only"_s);
    input.description = params.string(u"description"_s);
    input.active = params.boolean(u"active"_s);
    return input;
}

} // namespace promail::codec
