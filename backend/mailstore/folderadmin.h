#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QString>

namespace promail
{

class Database;
class DurableCommitter;

// A folder CREATE made (the last level, when parents were made too).
struct CreatedFolder
{
    qint64 id = 0;
    qint64 uidValidity = 0;
};

// IMAP CREATE, RENAME, DELETE, SUBSCRIBE and UNSUBSCRIBE on the folder rows of one mailbox
// (RFC 9051 §6.3.4-6.3.8), hierarchy separator "/". Names are UTF-8 (IMAP4rev2; the IMAP layer
// decodes modified UTF-7 for IMAP4rev1 clients). Errors, as IMAP maps them (RFC 5530):
// NotFound -> NONEXISTENT, Conflict with field "name" -> ALREADYEXISTS, Conflict with field
// "children" -> HASCHILDREN, Invalid -> CANNOT (field "special_use": USEATTR, RFC 6154 §3).
// Thread-safe like MailStore.
class FolderAdmin
{
public:
    FolderAdmin(const Database& database, const DataPaths& paths, DurableCommitter& committer);

    static constexpr int kMaxNameBytes = 255;

    // Refuses empty levels, a leading or trailing "/", the LIST wildcards "%" and "*", control
    // characters and names over kMaxNameBytes bytes of UTF-8.
    static Status validateName(const QString& name);
    // "INBOX" in any case becomes "INBOX", also as the first level ("inbox/x" -> "INBOX/x").
    static QString canonicalName(const QString& name);

    // Creates the folder and every missing parent level, each with a UIDVALIDITY above any the
    // mailbox ever used. A trailing "/" is dropped (RFC 9051 §6.3.4). `specialUse` is for
    // CREATE-SPECIAL-USE (RFC 6154 §3).
    Result<CreatedFolder> create(qint64 mailboxId, const QString& name, const QString& specialUse = {}) const;

    // Renames the folder and its children (rows only: directories are named by folder id).
    // Renaming INBOX moves its messages into a new folder and leaves INBOX empty (RFC 9051 §6.3.6).
    Status rename(qint64 mailboxId, const QString& from, const QString& to) const;

    // Deletes a folder without children, its messages and its directory, and lowers the usage.
    Status remove(qint64 mailboxId, const QString& name) const;

    Status setSubscribed(qint64 mailboxId, const QString& name, bool subscribed) const;

private:
    Result<CreatedFolder> createLevels(qint64 mailboxId, const QString& name, const QString& specialUse) const;
    Status renameInbox(qint64 mailboxId, const QString& to) const;

    const Database& m_database;
    DataPaths m_paths;
    DurableCommitter& m_committer;
};

} // namespace promail
