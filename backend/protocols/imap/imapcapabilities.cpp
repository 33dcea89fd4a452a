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
    };
    return capabilities;
}

} // namespace promail
