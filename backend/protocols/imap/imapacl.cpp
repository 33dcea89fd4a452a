// ImapSession: NAMESPACE (RFC 2342) and the ACL commands SETACL, DELETEACL, GETACL, LISTRIGHTS and
// MYRIGHTS (RFC 4314 §3) on the FolderAcl store. Identifiers are mailbox addresses of this server;
// the folder's owner always holds every right, "anyone" and negative rights are not supported.
#include "directory/directorycontext.h"
#include "mailstore/folderacl.h"
#include "message/imapstring.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::namespaces(Request& request)
{
    if (!requireEnd(request))
        return;
    // RFC 2342 §5: personal, other users', shared: folders shared by ACL appear under
    // "Other Users/<owner address>/"; there is no shared namespace.
    untagged("NAMESPACE ((\"\" \"/\")) ((\""_ba + kOtherUsers.toByteArray() + "\" \"/\")) NIL"_ba);
    ok(request, "NAMESPACE completed"_ba);
}

void ImapSession::getAcl(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, "a"); // RFC 4314 §3.3
    if (!folder)
        return;
    const auto entries = FolderAcl(m_services.directory->database).entries(folder->folder.id);
    if (!entries)
    {
        qCWarning(lcImap).noquote() << entries.error().message;
        no(request, "[SERVERBUG] Cannot read the access control list"_ba);
        return;
    }
    // The owner first, with every right (RFC 4314 §2: the owner cannot lose them).
    QByteArray line = "ACL "_ba + mailboxToWire(name) + ' ' +
                      ImapString::string((folder->ownerLocalPart + u'@' + folder->ownerDomain).toLower().toUtf8()) +
                      ' ' + AclRights::all().withObsolete();
    for (const AclEntry& entry : *entries)
        line += ' ' + ImapString::string(entry.address.toUtf8()) + ' ' + entry.rights.withObsolete();
    untagged(line);
    ok(request, "GETACL completed"_ba);
}

void ImapSession::setAcl(Request& request)
{
    changeAcl(request, false);
}

void ImapSession::deleteAcl(Request& request)
{
    changeAcl(request, true);
}

// SETACL mailbox identifier [+|-]rights (RFC 4314 §3.1), DELETEACL mailbox identifier (§3.2).
void ImapSession::changeAcl(Request& request, bool remove)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    parser.space();
    const QByteArray identifier = parser.astring();
    QByteArray modification;
    if (!remove)
    {
        parser.space();
        modification = parser.astring();
    }
    if (!requireEnd(request))
        return;
    const char modifier = modification.startsWith('+') || modification.startsWith('-') ? modification[0] : '\0';
    // RFC 4314 §3.1: an unknown right is a BAD, before anything else is looked at.
    const auto rights = AclRights::parse(modifier ? QByteArrayView(modification).sliced(1) : modification);
    if (!rights)
    {
        bad(request.tag, rights.error().message.toUtf8());
        return;
    }
    const auto folder = access(request, name, "a");
    if (!folder)
        return;
    // RFC 4314 §2: "anyone" would share the folder with every mailbox of every domain here, and
    // negative rights (a leading "-") are optional; ProMail grants to named mailboxes only.
    if (identifier.compare("anyone", Qt::CaseInsensitive) == 0 || identifier.startsWith('-'))
    {
        no(request, "[CANNOT] Rights are granted to mailbox addresses of this server only"_ba);
        return;
    }
    const FolderAcl acl(m_services.directory->database);
    const auto grantee = acl.mailboxId(QString::fromUtf8(identifier));
    if (!grantee)
    {
        if (grantee.error().code == ErrorCode::NotFound)
            no(request, "[CANNOT] No mailbox of this server has that address"_ba);
        else
            no(request, "[SERVERBUG] Cannot change the access control list"_ba);
        return;
    }
    if (*grantee == folder->ownerId)
    {
        no(request, "[CANNOT] The owner always has every right"_ba);
        return;
    }
    Status changed;
    if (remove)
        changed = acl.remove(folder->folder.id, *grantee);
    else
    {
        const auto current = acl.rightsOf(folder->folder.id, *grantee);
        if (!current)
            changed = current.error();
        else
            changed = acl.set(folder->folder.id, *grantee,
                              modifier == '+'   ? *current | *rights
                              : modifier == '-' ? current->without(*rights)
                                                : *rights);
    }
    if (!changed)
    {
        qCWarning(lcImap).noquote() << changed.error().message;
        no(request, "[SERVERBUG] Cannot change the access control list"_ba);
        return;
    }
    ok(request, remove ? "DELETEACL completed"_ba : "SETACL completed"_ba);
}

void ImapSession::listRights(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    parser.space();
    const QByteArray identifier = parser.astring();
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, "a"); // RFC 4314 §3.4
    if (!folder)
        return;
    const auto grantee = FolderAcl(m_services.directory->database).mailboxId(QString::fromUtf8(identifier));
    QByteArray rights;
    if (grantee && *grantee == folder->ownerId)
        rights = AclRights::all().letters(); // always granted, nothing optional
    else if (identifier.compare("anyone", Qt::CaseInsensitive) == 0 || identifier.startsWith('-'))
        rights = "\"\""_ba; // nothing can be granted (see changeAcl)
    else
    {
        // Each right on its own; "c" and "d" stand for their groups (RFC 4314 §2.1.1, §3.7 example).
        rights = "\"\""_ba;
        for (const char letter : AclRights::kLetters)
            rights += ' ' + QByteArray(1, letter);
        rights += " c d"_ba;
    }
    untagged("LISTRIGHTS "_ba + mailboxToWire(name) + ' ' + ImapString::string(identifier) + ' ' + rights);
    ok(request, "LISTRIGHTS completed"_ba);
}

void ImapSession::myRights(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, ""); // RFC 4314 §3.5: any right will do
    if (!folder)
        return;
    untagged("MYRIGHTS "_ba + mailboxToWire(name) + ' ' + folder->rights.withObsolete());
    ok(request, "MYRIGHTS completed"_ba);
}

} // namespace promail
