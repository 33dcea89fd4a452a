#include "directory/mailboxstore.h"

#include "core/logging.h"
#include "core/settingdefinitions.h"
#include "directory/addressrules.h"
#include "directory/domainstore.h"
#include "directory/passwordhasher.h"
#include "storage/database.h"
#include "storage/settingsstore.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kSelect =
    u"SELECT m.id, m.domain_id, m.local_part, d.name, m.display_name, m.password_hash, m.quota_mib, "
    "m.active, m.imap, m.pop3, m.smtp, m.sieve, m.tagged_mail, m.created_at, m.updated_at, m.allow_masquerade, "
    "m.quota_messages "
    "FROM mailboxes m JOIN domains d ON d.id = m.domain_id "_s;

Mailbox mailboxFromRow(const QSqlQuery& row)
{
    Mailbox m;
    m.id = row.value(0).toLongLong();
    m.domainId = row.value(1).toLongLong();
    m.localPart = row.value(2).toString();
    m.domain = row.value(3).toString();
    m.displayName = row.value(4).toString();
    m.passwordHash = row.value(5).toString();
    m.quotaMib = row.value(6).toLongLong();
    m.active = row.value(7).toBool();
    m.imap = row.value(8).toBool();
    m.pop3 = row.value(9).toBool();
    m.smtp = row.value(10).toBool();
    m.sieve = row.value(11).toBool();
    m.taggedMail = taggedMailFromName(row.value(12).toString()).value_or(TaggedMail::Inbox);
    m.createdAt = fromSeconds(row.value(13).toLongLong());
    m.updatedAt = fromSeconds(row.value(14).toLongLong());
    m.allowMasquerade = row.value(15).toBool();
    m.quotaMessages = row.value(16).toLongLong();
    return m;
}

void applyInput(Mailbox& m, const MailboxInput& input)
{
    m.displayName = input.displayName.value_or(m.displayName);
    m.quotaMib = input.quotaMib.value_or(m.quotaMib);
    m.quotaMessages = input.quotaMessages.value_or(m.quotaMessages);
    m.active = input.active.value_or(m.active);
    m.imap = input.imap.value_or(m.imap);
    m.pop3 = input.pop3.value_or(m.pop3);
    m.smtp = input.smtp.value_or(m.smtp);
    m.sieve = input.sieve.value_or(m.sieve);
    m.taggedMail = input.taggedMail.value_or(m.taggedMail);
    m.allowMasquerade = input.allowMasquerade.value_or(m.allowMasquerade);
}
} // namespace

QString taggedMailName(TaggedMail mode)
{
    switch (mode)
    {
    case TaggedMail::Inbox:
        return u"inbox"_s;
    case TaggedMail::Folder:
        return u"folder"_s;
    case TaggedMail::Subject:
        return u"subject"_s;
    }
    return u"inbox"_s;
}

std::optional<TaggedMail> taggedMailFromName(const QString& name)
{
    for (TaggedMail mode : {TaggedMail::Inbox, TaggedMail::Folder, TaggedMail::Subject})
    {
        if (taggedMailName(mode) == name)
            return mode;
    }
    return std::nullopt;
}

Result<Mailbox> MailboxStore::load(const QString& whereClause, const QVariantList& bindings) const
{
    auto query = m_context.database.run(kSelect + whereClause, bindings);
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"mailbox not found"_s);
    return mailboxFromRow(*query);
}

Result<Page<Mailbox>> MailboxStore::list(const QString& domain, const PageRequest& request) const
{
    QString where = u"WHERE (m.local_part || '@' || d.name) > ?"_s;
    QVariantList bindings{request.cursor};
    if (!domain.isEmpty())
    {
        const auto parsed = DomainStore(m_context).get(domain);
        if (!parsed)
            return parsed.error();
        where += u" AND d.id = ?"_s;
        bindings << parsed->id;
    }
    if (!request.query.isEmpty())
    {
        where +=
            u" AND ((m.local_part || '@' || d.name) LIKE ? ESCAPE '\\' OR LOWER(m.display_name) LIKE ? ESCAPE '\\')"_s;
        bindings << likePattern(request.query) << likePattern(request.query);
    }
    auto query = m_context.database.run(kSelect + where + u" ORDER BY m.local_part || '@' || d.name LIMIT ?"_s,
                                        bindings << request.limit + 1);
    if (!query)
        return query.error();
    QList<Mailbox> rows;
    while (query->next())
        rows.append(mailboxFromRow(*query));
    return makePage(std::move(rows), request.limit, [](const Mailbox& m) { return m.address(); });
}

Result<Mailbox> MailboxStore::get(const QString& address) const
{
    const auto parsed = AddressRules::parse(address, AddressKind::Mailbox, u"address"_s);
    if (!parsed)
        return parsed.error();
    auto mailbox = load(u"WHERE d.name = ? AND m.local_part = ?"_s, {parsed->domain, parsed->localPart});
    if (!mailbox && mailbox.error().code == ErrorCode::NotFound)
        return Error::notFound(u"there is no mailbox %1"_s.arg(parsed->toString()));
    return mailbox;
}

Result<QString> MailboxStore::passwordHashFor(const MailboxInput& input, bool required) const
{
    if (input.password && input.passwordHash)
        return Error::invalid(u"password_hash"_s, u"give either password or password_hash, not both"_s);
    if (input.passwordHash)
    {
        QString why;
        if (!PasswordHasher::isSupportedHash(*input.passwordHash, &why))
            return Error::invalid(u"password_hash"_s, why);
        return *input.passwordHash;
    }
    if (input.password)
    {
        const qint64 minimum = m_context.settings.intValue(settingkeys::kPasswordMinLength);
        if (input.password->size() < minimum)
            return Error::invalid(u"password"_s, u"the password must have at least %1 characters"_s.arg(minimum));
        return PasswordHasher::hash(*input.password);
    }
    if (required)
        return Error::invalid(u"password"_s, u"a password or password_hash is required"_s);
    return QString();
}

Status MailboxStore::checkQuota(const Domain& domain, qint64 quotaMib, qint64 previousQuotaMib) const
{
    const QString field = u"quota_mib"_s;
    if (quotaMib < 0)
        return Error::invalid(field, u"the quota cannot be negative"_s);
    if (quotaMib == 0 && (domain.maxQuotaMib > 0 || domain.quotaMib > 0))
        return Error::invalid(field, u"domain %1 does not allow unlimited mailboxes (quota 0)"_s.arg(domain.name));
    if (domain.maxQuotaMib > 0 && quotaMib > domain.maxQuotaMib)
        return Error::invalid(field, u"%1 MiB exceeds the domain's largest mailbox quota of %2 MiB"_s.arg(quotaMib).arg(
                                         domain.maxQuotaMib));
    const qint64 allocated = domain.allocatedQuotaMib - previousQuotaMib + quotaMib;
    if (domain.quotaMib > 0 && allocated > domain.quotaMib)
        return Error::invalid(
            field, u"the domain's mailboxes would need %1 MiB, more than its quota of %2 MiB"_s.arg(allocated).arg(
                       domain.quotaMib));
    return {};
}

Result<Mailbox> MailboxStore::create(const MailboxInput& input) const
{
    const auto address = AddressRules::parse(input.address, AddressKind::Mailbox, u"address"_s);
    if (!address)
        return address.error();
    const auto aliasTarget = m_queries.domainAliasTarget(address->domain);
    if (!aliasTarget)
        return aliasTarget.error();
    if (!aliasTarget->isEmpty())
        return Error::invalid(
            u"address"_s, u"%1 is a domain alias of %2; create the mailbox there"_s.arg(address->domain, *aliasTarget));
    const auto domain = DomainStore(m_context).get(address->domain);
    if (!domain)
        return domain.error();
    const auto owner = m_queries.ownerOf(domain->id, address->localPart);
    if (!owner)
        return owner.error();
    if (*owner != AddressOwner::None)
        return Error::conflict(u"%1 already exists as %2"_s.arg(address->toString(), ownerName(*owner)), u"address"_s);
    if (domain->maxMailboxes > 0 && domain->mailboxCount >= domain->maxMailboxes)
        return Error::conflict(
            u"domain %1 already has its maximum of %2 mailboxes"_s.arg(domain->name).arg(domain->maxMailboxes));

    Mailbox mailbox;
    mailbox.localPart = address->localPart;
    mailbox.domain = domain->name;
    mailbox.quotaMib = domain->defaultQuotaMib;
    applyInput(mailbox, input);
    if (mailbox.quotaMessages < 0)
        return Error::invalid(u"quota_messages"_s, u"the message quota cannot be negative"_s);
    if (const Status quota = checkQuota(*domain, mailbox.quotaMib, 0); !quota)
        return quota.error();
    const auto hash = passwordHashFor(input, true);
    if (!hash)
        return hash.error();

    // The folder exists before the row does, so a mailbox never lacks its folder; it is removed
    // again when the row cannot be written.
    const QString folder = m_context.paths.mailboxDirectory(mailbox.domain, mailbox.localPart);
    const bool folderExisted = QFileInfo::exists(folder);
    if (const Status made = makeDirectory(folder, 0700); !made)
        return made.error();
    auto created = insert(*domain, mailbox, *hash);
    if (!created && !folderExisted)
        QDir(folder).removeRecursively();
    return created;
}

Result<Mailbox> MailboxStore::insert(const Domain& domain, const Mailbox& mailbox, const QString& hash) const
{

    const Database& db = m_context.database;
    Transaction transaction(db);
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = nowSeconds();
    const auto inserted = db.run(
        u"INSERT INTO mailboxes (domain_id, local_part, display_name, password_hash, quota_mib, "
        "quota_messages, active, imap, pop3, smtp, sieve, tagged_mail, allow_masquerade, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {domain.id, mailbox.localPart, mailbox.displayName, hash, mailbox.quotaMib, mailbox.quotaMessages,
         mailbox.active, mailbox.imap, mailbox.pop3, mailbox.smtp, mailbox.sieve, taggedMailName(mailbox.taggedMail),
         mailbox.allowMasquerade, now, now});
    if (!inserted)
        return inserted.error();
    // The first mailbox of a domain receives postmaster@ and abuse@ until the admin names another.
    const auto adopted = db.run(u"INSERT INTO alias_destinations (alias_id, position, address) "
                                "SELECT a.id, 0, ? FROM aliases a WHERE a.domain_id = ? AND a.is_system = 1 "
                                "AND NOT EXISTS (SELECT 1 FROM alias_destinations ad WHERE ad.alias_id = a.id)"_s,
                                {mailbox.address(), domain.id});
    if (!adopted)
        return adopted.error();
    if (const Status committed = transaction.commit(); !committed)
        return committed.error();
    return get(mailbox.address());
}

Result<Mailbox> MailboxStore::update(const MailboxInput& input) const
{
    const auto previous = get(input.address);
    if (!previous)
        return previous.error();
    Mailbox mailbox = *previous;
    applyInput(mailbox, input);
    if (mailbox.quotaMessages < 0)
        return Error::invalid(u"quota_messages"_s, u"the message quota cannot be negative"_s);
    if (input.quotaMib)
    {
        const auto domain = DomainStore(m_context).get(mailbox.domain);
        if (!domain)
            return domain.error();
        if (const Status quota = checkQuota(*domain, mailbox.quotaMib, previous->quotaMib); !quota)
            return quota.error();
    }
    const auto hash = passwordHashFor(input, false);
    if (!hash)
        return hash.error();
    if (!hash->isEmpty())
        mailbox.passwordHash = *hash;
    const auto updated = m_context.database.run(
        u"UPDATE mailboxes SET display_name = ?, password_hash = ?, quota_mib = ?, quota_messages = ?, active = ?, "
        "imap = ?, pop3 = ?, smtp = ?, sieve = ?, tagged_mail = ?, allow_masquerade = ?, updated_at = ? WHERE id = ?"_s,
        {mailbox.displayName, mailbox.passwordHash, mailbox.quotaMib, mailbox.quotaMessages, mailbox.active,
         mailbox.imap, mailbox.pop3, mailbox.smtp, mailbox.sieve, taggedMailName(mailbox.taggedMail),
         mailbox.allowMasquerade, nowSeconds(), mailbox.id});
    if (!updated)
        return updated.error();
    return get(mailbox.address());
}

Result<MailboxRemoval> MailboxStore::remove(const QString& address, bool keepMail) const
{
    const auto mailbox = get(address);
    if (!mailbox)
        return mailbox.error();
    auto systemUse =
        m_context.database.run(u"SELECT a.local_part FROM aliases a JOIN alias_destinations ad ON ad.alias_id = a.id "
                               "WHERE a.is_system = 1 AND LOWER(ad.address) = ? ORDER BY a.local_part"_s,
                               {mailbox->address()});
    if (!systemUse)
        return systemUse.error();
    if (systemUse->next())
        return Error::conflict(
            u"%1@%2 delivers to %3; point it elsewhere first (domain set %2 --postmaster ADDRESS)"_s.arg(
                systemUse->value(0).toString(), mailbox->domain, mailbox->address()));

    const QString folder = m_context.paths.mailboxDirectory(mailbox->domain, mailbox->localPart);
    MailboxRemoval removal;
    if (QFileInfo::exists(folder))
    {
        if (keepMail)
        {
            const QString archiveDir = m_context.paths.archive() + u'/' + mailbox->domain;
            if (const Status made = makeDirectory(archiveDir, 0700); !made)
                return made.error();
            const QString base = archiveDir + u'/' + mailbox->localPart + u'-' +
                                 QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
            removal.archivedTo = base;
            for (int n = 2; QFileInfo::exists(removal.archivedTo); ++n)
                removal.archivedTo = base + u'-' + QString::number(n); // an earlier archive stays untouched
            if (!QDir().rename(folder, removal.archivedTo))
                return Error::internal(u"cannot move %1 to %2"_s.arg(folder, removal.archivedTo));
        }
        else if (!QDir(folder).removeRecursively())
        {
            return Error::internal(u"cannot delete %1"_s.arg(folder));
        }
    }
    const auto removed = m_context.database.run(u"DELETE FROM mailboxes WHERE id = ?"_s, {mailbox->id});
    if (!removed)
        return removed.error();
    return removal;
}

Result<Mailbox> MailboxStore::authenticate(const QString& address, const QString& password) const
{
    const auto mailbox = get(address);
    // One answer for every failure, so a client cannot probe which addresses exist.
    const Error failed{ErrorCode::Unauthenticated, u"invalid credentials"_s, {}};
    if (!mailbox)
    {
        PasswordHasher::verify(QString(), password); // spend comparable time
        return failed;
    }
    const PasswordHasher::Verification verification = PasswordHasher::verify(mailbox->passwordHash, password);
    if (!verification.ok || !mailbox->active)
        return failed;
    if (verification.needsRehash)
    {
        const auto rehashed = PasswordHasher::hash(password);
        if (rehashed)
        {
            const auto stored = m_context.database.run(u"UPDATE mailboxes SET password_hash = ? WHERE id = ?"_s,
                                                       {*rehashed, mailbox->id});
            if (stored)
                qCInfo(lcDirectory).noquote() << "rehashed the password of" << mailbox->address() << "to argon2id";
        }
    }
    return get(mailbox->address());
}

} // namespace promail
