#include "storage/migrations.h"

#include "core/logging.h"
#include "storage/database.h"

#include <QDateTime>
#include <QSet>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

const QList<Migration>& Migrations::all()
{
    // Append only: a released migration never changes.
    static const QList<Migration> migrations{
        {1,
         u"settings and event log"_s,
         {
             u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)"_s,
             u"CREATE TABLE event_log (id %ID%, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, "
             "target TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}')"_s,
             u"CREATE INDEX event_log_at ON event_log (at)"_s,
         }},
        {2,
         u"mail directory: domains, domain aliases, mailboxes, aliases, lists, catch-all"_s,
         {
             u"CREATE TABLE domains (id %ID%, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', "
             "active INTEGER NOT NULL DEFAULT 1, max_mailboxes INTEGER NOT NULL DEFAULT 0, "
             "max_aliases INTEGER NOT NULL DEFAULT 0, quota_mib BIGINT NOT NULL DEFAULT 0, "
             "default_quota_mib BIGINT NOT NULL DEFAULT 0, max_quota_mib BIGINT NOT NULL DEFAULT 0, "
             "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_s,
             u"CREATE TABLE domain_aliases (id %ID%, name TEXT NOT NULL UNIQUE, "
             "target_id INTEGER NOT NULL REFERENCES domains (id) ON DELETE CASCADE, "
             "active INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_s,
             u"CREATE TABLE mailboxes (id %ID%, domain_id INTEGER NOT NULL REFERENCES domains (id), "
             "local_part TEXT NOT NULL, display_name TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL, "
             "quota_mib BIGINT NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1, "
             "imap INTEGER NOT NULL DEFAULT 1, pop3 INTEGER NOT NULL DEFAULT 0, smtp INTEGER NOT NULL DEFAULT 1, "
             "sieve INTEGER NOT NULL DEFAULT 1, tagged_mail TEXT NOT NULL DEFAULT 'inbox', "
             "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (domain_id, local_part))"_s,
             u"CREATE TABLE aliases (id %ID%, domain_id INTEGER NOT NULL REFERENCES domains (id) ON DELETE CASCADE, "
             "local_part TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, is_system INTEGER NOT NULL DEFAULT 0, "
             "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (domain_id, local_part))"_s,
             u"CREATE TABLE alias_destinations (alias_id INTEGER NOT NULL REFERENCES aliases (id) ON DELETE CASCADE, "
             "position INTEGER NOT NULL, address TEXT NOT NULL, PRIMARY KEY (alias_id, position))"_s,
             u"CREATE TABLE lists (id %ID%, domain_id INTEGER NOT NULL REFERENCES domains (id) ON DELETE CASCADE, "
             "local_part TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', members_only INTEGER NOT NULL DEFAULT 0, "
             "active INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
             "UNIQUE (domain_id, local_part))"_s,
             u"CREATE TABLE list_members (list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE, "
             "position INTEGER NOT NULL, address TEXT NOT NULL, PRIMARY KEY (list_id, position))"_s,
             u"CREATE TABLE catch_all_destinations (domain_id INTEGER NOT NULL REFERENCES domains (id) "
             "ON DELETE CASCADE, position INTEGER NOT NULL, address TEXT NOT NULL, PRIMARY KEY (domain_id, position))"_s,
         }},
        {3,
         u"mail store, outbound queue, forwarding hosts, masquerading"_s,
         {
             // One row per IMAP folder of a mailbox (RFC 9051 §2.3.1.1 UIDVALIDITY/UIDNEXT, RFC 7162 MODSEQ).
             u"CREATE TABLE folders (id %ID%, mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE, "
             "name TEXT NOT NULL, special_use TEXT NOT NULL DEFAULT '', uidvalidity BIGINT NOT NULL, "
             "uidnext BIGINT NOT NULL DEFAULT 1, highest_modseq BIGINT NOT NULL DEFAULT 1, "
             "subscribed INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, UNIQUE (mailbox_id, name))"_s,
             // One row per message in a folder; `file` is relative to the mailbox's directory.
             u"CREATE TABLE messages (id %ID%, folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE, "
             "uid BIGINT NOT NULL, modseq BIGINT NOT NULL, file TEXT NOT NULL, size BIGINT NOT NULL, "
             "internal_date BIGINT NOT NULL, flags TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '', "
             "UNIQUE (folder_id, uid))"_s,
             u"CREATE INDEX messages_file ON messages (file)"_s,
             // Quota accounting (RFC 9208 STORAGE and MESSAGE) and which warning was last sent.
             u"CREATE TABLE mailbox_usage (mailbox_id INTEGER PRIMARY KEY REFERENCES mailboxes (id) ON DELETE CASCADE, "
             "bytes BIGINT NOT NULL DEFAULT 0, messages BIGINT NOT NULL DEFAULT 0, "
             "warned_percent INTEGER NOT NULL DEFAULT 0)"_s,
             // The outbound queue: one message file, its envelope and DSN parameters (RFC 3461).
             u"CREATE TABLE queue_messages (id %ID%, queue_id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, "
             "sender TEXT NOT NULL, size BIGINT NOT NULL, message_id TEXT NOT NULL DEFAULT '', "
             "envid TEXT NOT NULL DEFAULT '', ret TEXT NOT NULL DEFAULT '', "
             "authenticated_user TEXT NOT NULL DEFAULT '', client_address TEXT NOT NULL DEFAULT '', "
             "held INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)"_s,
             u"CREATE TABLE queue_recipients (id %ID%, "
             "queue_message_id INTEGER NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE, "
             "address TEXT NOT NULL, orcpt TEXT NOT NULL DEFAULT '', notify TEXT NOT NULL DEFAULT '', "
             "status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, "
             "next_attempt_at BIGINT NOT NULL, last_error TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)"_s,
             u"CREATE INDEX queue_recipients_due ON queue_recipients (status, next_attempt_at)"_s,
             // Hosts allowed to send mail from local domains without authenticating (seed 004).
             u"CREATE TABLE forwarding_hosts (id %ID%, network TEXT NOT NULL UNIQUE, "
             "description TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)"_s,
             // A mailbox allowed to send as any address (seed 004 "masquerading").
             u"ALTER TABLE mailboxes ADD COLUMN allow_masquerade INTEGER NOT NULL DEFAULT 0"_s,
         }},
        {4,
         u"folder administration and spam training events"_s,
         {
             // The highest UIDVALIDITY a folder of the mailbox ever had: a folder deleted and created
             // again within one second still gets a greater one (RFC 9051 §2.3.1.1).
             u"ALTER TABLE mailboxes ADD COLUMN last_uidvalidity BIGINT NOT NULL DEFAULT 0"_s,
             // Messages the user moved into or out of \Junk, for the spam filter to learn from (issue 4).
             u"CREATE TABLE spam_training_events (id %ID%, "
             "mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE, "
             "message_file TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '', "
             "verdict TEXT NOT NULL CHECK (verdict IN ('spam', 'ham')), created_at BIGINT NOT NULL, "
             "consumed INTEGER NOT NULL DEFAULT 0)"_s,
             u"CREATE INDEX spam_training_events_pending ON spam_training_events (consumed, id)"_s,
         }},
        {5,
         u"folder access control lists"_s,
         {
             // RFC 4314: the rights (letters of "lrswipkxtea") a mailbox holds on another mailbox's
             // folder; gone with the folder or with the grantee's mailbox. The owner is never listed.
             u"CREATE TABLE folder_acl (folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE, "
             "mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE, rights TEXT NOT NULL, "
             "PRIMARY KEY (folder_id, mailbox_id))"_s,
             u"CREATE INDEX folder_acl_grantee ON folder_acl (mailbox_id)"_s,
         }},
        {6,
         u"expunge log for QRESYNC"_s,
         {
             // RFC 7162 §3.2.5.2, §3.2.6: the UIDs expunged from a folder with the MODSEQ of their
             // expunge, so a client resynchronizing learns what vanished while it was away.
             u"CREATE TABLE expunged_messages (folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE, "
             "uid BIGINT NOT NULL, modseq BIGINT NOT NULL, PRIMARY KEY (folder_id, uid))"_s,
             // Expunges before this migration were not logged: below this MODSEQ the log is incomplete.
             u"ALTER TABLE folders ADD COLUMN vanished_since BIGINT NOT NULL DEFAULT 0"_s,
             u"UPDATE folders SET vanished_since = highest_modseq"_s,
         }},
        {7,
         u"message count quota"_s,
         {
             // RFC 9208 §5.2 MESSAGE: how many messages the mailbox may hold; 0 = unlimited.
             u"ALTER TABLE mailboxes ADD COLUMN quota_messages BIGINT NOT NULL DEFAULT 0"_s,
         }},
        {8,
         u"DKIM signing keys"_s,
         {
             // RFC 6376: one row per key of a local domain; the private key is a file in data_dir/keys/,
             // public_key is the p= value. Retired keys no longer sign but stay listed until deleted.
             u"CREATE TABLE dkim_keys (id %ID%, domain_id INTEGER NOT NULL REFERENCES domains (id) ON DELETE CASCADE, "
             "selector TEXT NOT NULL, algorithm TEXT NOT NULL CHECK (algorithm IN ('rsa', 'ed25519')), "
             "bits INTEGER NOT NULL, public_key TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, "
             "created_at BIGINT NOT NULL, retired_at BIGINT NOT NULL DEFAULT 0, UNIQUE (domain_id, selector))"_s,
             // The random part of this server's selectors (seed 001 "cloudron-<uniqueid>"), chosen once.
             u"CREATE TABLE dkim_server_id (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)"_s,
         }},
    };
    return migrations;
}

int Migrations::latestVersion()
{
    return all().last().version;
}

Result<int> Migrations::currentVersion(const Database& database)
{
    const auto created = database.run(u"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                                      "description TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s);
    if (!created)
        return created.error();
    auto query = database.run(u"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"_s);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Status Migrations::apply(const Database& database, int target)
{
    const auto current = currentVersion(database);
    if (!current)
        return current.error();
    if (*current > latestVersion())
        return Error::internal(
            u"the database schema (version %1) is newer than this promaild (version %2)"_s.arg(*current).arg(
                latestVersion()));
    // Every migration not recorded yet, not only those above the highest: numbers are reserved per
    // branch, so a lower one may be merged after a higher one was applied (each is independent).
    auto recorded = database.run(u"SELECT version FROM schema_migrations"_s);
    if (!recorded)
        return recorded.error();
    QSet<int> applied;
    while (recorded->next())
        applied.insert(recorded->value(0).toInt());
    recorded->finish();
    const QString id =
        database.dialect() == SqlDialect::Sqlite ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_s : u"BIGSERIAL PRIMARY KEY"_s;
    for (const Migration& migration : all())
    {
        if (applied.contains(migration.version) || (target >= 0 && migration.version > target))
            continue;
        Transaction transaction(database);
        if (!transaction.started())
            return transaction.started();
        for (QString statement : migration.statements)
        {
            statement.replace(u"%ID%"_s, id);
            if (const auto result = database.run(statement); !result)
                return Error::internal(u"migration %1 failed: %2"_s.arg(migration.version).arg(result.error().message));
        }
        const auto inserted =
            database.run(u"INSERT INTO schema_migrations (version, description, applied_at) "
                         "VALUES (?, ?, ?)"_s,
                         {migration.version, migration.description, QDateTime::currentSecsSinceEpoch()});
        if (!inserted)
            return inserted.error();
        if (const Status committed = transaction.commit(); !committed)
            return committed;
        qCInfo(lcStorage).noquote() << "applied schema migration" << migration.version << migration.description;
    }
    return {};
}

} // namespace promail
