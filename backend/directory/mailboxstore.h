#pragma once

#include "directory/directorycontext.h"
#include "directory/directorytypes.h"
#include "storage/paging.h"

namespace promail
{

struct Domain;

// What happened to a removed mailbox's mail (seed 001 "Archived Emails").
struct MailboxRemoval
{
    QString archivedTo; // empty when the mail was deleted
};

// Mailboxes: validation (local-part rules, quotas against the domain's limits, passwords),
// persistence, and the mailbox's folder under data_dir/mail.
class MailboxStore
{
public:
    explicit MailboxStore(const DirectoryContext& context) : m_context(context), m_queries(context.database) {}

    Result<Page<Mailbox>> list(const QString& domain, const PageRequest& request) const;
    Result<Mailbox> get(const QString& address) const;
    Result<Mailbox> create(const MailboxInput& input) const;
    Result<Mailbox> update(const MailboxInput& input) const;
    Result<MailboxRemoval> remove(const QString& address, bool keepMail) const;

    // Checks a login (full address + password). Hashes of other schemes, or argon2id with
    // weaker parameters, are replaced by a current argon2id hash on success.
    Result<Mailbox> authenticate(const QString& address, const QString& password) const;

private:
    Result<Mailbox> load(const QString& whereClause, const QVariantList& bindings) const;
    Result<Mailbox> insert(const Domain& domain, const Mailbox& mailbox, const QString& hash) const;
    Result<QString> passwordHashFor(const MailboxInput& input, bool required) const;
    Status checkQuota(const Domain& domain, qint64 quotaMib, qint64 previousQuotaMib) const;

    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
};

} // namespace promail
