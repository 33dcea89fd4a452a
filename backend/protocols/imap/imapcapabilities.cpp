#include "protocols/imap/imapcapabilities.h"

using namespace Qt::StringLiterals;

namespace promail
{

const QList<ImapCapability>& imapCapabilities()
{
    using Scope = ImapCapabilityScope;
    static const QList<ImapCapability> capabilities{
        {"IMAP4rev1"_ba, Scope::Always, u"RFC 3501"_s,
         u"test_imap.py Messages.test_fetch_items_of_a_delivered_message"_s,
         u"the commands listed below; mailbox names in modified UTF-7 (RFC 3501 §5.1.3)"_s},
        {"IMAP4rev2"_ba, Scope::Always, u"RFC 9051"_s,
         u"test_imap_condstore.py Utf8Names.test_enable_imap4rev2_switches_to_utf8"_s,
         u"after ENABLE IMAP4rev2: UTF-8 mailbox names, no RECENT or [UNSEEN], LIST in SELECT, STATUS DELETED/SIZE"_s,
         true},
        {"ENABLE"_ba, Scope::Always, u"RFC 5161"_s, u"test_imap_condstore.py Enable.test_enable_rules"_s,
         u"ENABLE in the authenticated state; unknown extensions ignored, ENABLED lists those newly on"_s},
        {"CONDSTORE"_ba, Scope::Always, u"RFC 7162 §3.1"_s,
         u"test_imap_condstore.py Condstore.test_rfc7162_conditional_store"_s,
         u"MODSEQ per message, HIGHESTMODSEQ per folder; FETCH CHANGEDSINCE, STORE UNCHANGEDSINCE with [MODIFIED]"_s,
         true},
        {"QRESYNC"_ba, Scope::Always, u"RFC 7162 §3.2"_s,
         u"test_imap_condstore.py Qresync.test_resync_after_changes_while_away"_s,
         u"SELECT (QRESYNC ...), VANISHED (EARLIER), UID FETCH (CHANGEDSINCE n VANISHED), VANISHED for expunges"_s,
         true},
        {"STARTTLS"_ba, Scope::BeforeTls, u"RFC 9051 §6.2.1"_s, u"test_imap.py Logins.test_starttls_then_login"_s,
         u"TLS upgrade on the imap port; the capabilities are sent again after it"_s},
        {"LOGINDISABLED"_ba, Scope::BeforeTls, u"RFC 9051 §6.2.3"_s,
         u"test_imap.py Logins.test_login_refused_before_starttls"_s,
         u"LOGIN and AUTHENTICATE are refused before STARTTLS on the imap port"_s},
        {"AUTH=PLAIN"_ba, Scope::BeforeLogin, u"RFC 4616"_s, u"test_imap.py Logins.test_authenticate_plain"_s,
         u"AUTHENTICATE PLAIN, with an initial response or after \"+ \"; only over TLS"_s},
        {"SASL-IR"_ba, Scope::BeforeLogin, u"RFC 4959"_s, u"test_imap.py Logins.test_authenticate_plain"_s,
         u"the initial response on the AUTHENTICATE line (\"=\" for an empty one)"_s},
        {"CHILDREN"_ba, Scope::Always, u"RFC 3348"_s, u"test_imap.py FolderAdministration.test_create_rename_delete"_s,
         u"LIST marks every folder \\HasChildren or \\HasNoChildren"_s},
        {"IDLE"_ba, Scope::Always, u"RFC 2177"_s, u"test_imap.py Idle.test_new_mail_within_one_second"_s,
         u"new mail, expunges and flag changes are reported within a second while idling"_s},
        {"MOVE"_ba, Scope::Always, u"RFC 6851"_s, u"test_imap.py CopyMove.test_move_sends_expunge_and_copyuid"_s,
         u"MOVE and UID MOVE: COPYUID in an untagged OK, then EXPUNGE for each moved message"_s},
        {"SPECIAL-USE"_ba, Scope::Always, u"RFC 6154"_s, u"test_imap.py Folders.test_list_standard_folders"_s,
         u"LIST shows \\Drafts, \\Sent, \\Trash, \\Junk and \\Archive on the standard folders"_s},
        {"UIDPLUS"_ba, Scope::Always, u"RFC 4315"_s, u"test_imap.py CopyMove.test_copy_with_copyuid"_s,
         u"COPYUID on COPY and MOVE, APPENDUID on APPEND, UID EXPUNGE"_s},
        {"UNSELECT"_ba, Scope::Always, u"RFC 3691"_s, u"test_imap.py Folders.test_unselect_and_close"_s,
         u"leaves the selected folder without expunging"_s},
        {"NAMESPACE"_ba, Scope::Always, u"RFC 2342"_s, u"test_imap_acl.py Namespaces.test_namespace_and_other_users"_s,
         u"personal \"\", other users \"Other Users/\" (folders shared by ACL), no shared namespace"_s},
        {"ACL"_ba, Scope::Always, u"RFC 4314"_s, u"test_imap_acl.py AclCommands.test_rfc4314_examples"_s,
         u"SETACL, DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS; identifiers are mailbox addresses of this server"_s},
        {"RIGHTS=texk"_ba, Scope::Always, u"RFC 4314 §2.1"_s,
         u"test_imap_acl.py Sharing.test_read_only_grant_is_enforced"_s,
         u"rights l r s w i p k x t e a enforced on every command; c and d map to kx and et"_s},
        {"LIST-EXTENDED"_ba, Scope::Always, u"RFC 5258"_s, u"test_imap_lists.py ListExtended.test_rfc5258_examples"_s,
         u"selection SUBSCRIBED REMOTE RECURSIVEMATCH SPECIAL-USE, return SUBSCRIBED CHILDREN SPECIAL-USE, patterns"_s},
        {"LIST-STATUS"_ba, Scope::Always, u"RFC 5819"_s,
         u"test_imap_lists.py ListStatus.test_status_after_each_list_line"_s,
         u"LIST ... RETURN (STATUS (...)) answers a STATUS line after each selectable folder"_s},
        {"CREATE-SPECIAL-USE"_ba, Scope::Always, u"RFC 6154 §3"_s,
         u"test_imap_lists.py CreateSpecialUse.test_create_with_use"_s,
         u"CREATE name (USE (\\Drafts)): one use per folder and per mailbox, else NO [USEATTR]"_s},
        {"STATUS=SIZE"_ba, Scope::Always, u"RFC 8438"_s, u"test_imap_lists.py StatusItems.test_size_and_deleted"_s,
         u"STATUS SIZE in octets, also DELETED (RFC 9051) and DELETED-STORAGE (RFC 9208 §4.3)"_s},
        {"APPENDLIMIT"_ba, Scope::Always, u"RFC 7889"_s,
         u"test_imap_lists.py AppendLimit.test_limit_is_advertised_and_enforced"_s,
         u"APPENDLIMIT=<smtp.max_message_size>; a larger APPEND gets NO [TOOBIG] before the literal"_s},
        {"ID"_ba, Scope::Always, u"RFC 2971"_s, u"test_imap_lists.py Id.test_id_exchange_and_limits"_s,
         u"answers name and version; the client's list is checked against the limits of §3.3 and logged"_s},
        {"QUOTA"_ba, Scope::Always, u"RFC 9208"_s, u"test_imap_lists.py Quota.test_getquotaroot_and_overquota"_s,
         u"GETQUOTA, GETQUOTAROOT on the root \"\"; SETQUOTA is refused (the administrator sets quotas)"_s},
        {"QUOTA=RES-STORAGE"_ba, Scope::Always, u"RFC 9208 §5.1"_s,
         u"test_imap_lists.py Quota.test_getquotaroot_and_overquota"_s,
         u"STORAGE in KiB from the mailbox's quota_mib; APPEND, COPY, MOVE beyond it get NO [OVERQUOTA]"_s},
        {"QUOTA=RES-MESSAGE"_ba, Scope::Always, u"RFC 9208 §5.2"_s,
         u"test_imap_lists.py Quota.test_message_quota_on_append_copy_and_smtp"_s,
         u"MESSAGE from the mailbox's quota_messages; over it APPEND/COPY get NO [OVERQUOTA], SMTP RCPT 452 4.2.2"_s},
    };
    return capabilities;
}

} // namespace promail
