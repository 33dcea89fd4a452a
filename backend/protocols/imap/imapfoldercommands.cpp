// ImapSession: folder administration — CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE
// (RFC 9051 §6.3.4-6.3.8) through FolderAdmin, errors as RFC 5530 response codes.
#include "directory/directorycontext.h"
#include "mailstore/folderacl.h"
#include "mailstore/folderadmin.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QByteArray missing(const QByteArray& name)
{
    QByteArray shown = name;
    shown.replace('\r', ' ').replace('\n', ' '); // a literal name may hold line ends
    return "[NONEXISTENT] folder "_ba + shown + " does not exist"_ba;
}
} // namespace

void ImapSession::noFolderError(const Request& request, const Error& error)
{
    // RFC 5530 §3, mapped as folderadmin.h documents.
    switch (error.code)
    {
    case ErrorCode::NotFound:
        no(request, "[NONEXISTENT] "_ba + error.message.toUtf8());
        return;
    case ErrorCode::Conflict:
        no(request,
           (error.field == u"children"_s ? "[HASCHILDREN] "_ba : "[ALREADYEXISTS] "_ba) + error.message.toUtf8());
        return;
    case ErrorCode::Invalid:
        // RFC 6154 §3: USEATTR for a special-use attribute the server refuses.
        no(request, (error.field == u"special_use"_s ? "[USEATTR] "_ba : "[CANNOT] "_ba) + error.message.toUtf8());
        return;
    default:
        qCWarning(lcImap).noquote() << error.message;
        no(request, "[SERVERBUG] The folder could not be changed"_ba);
        return;
    }
}

void ImapSession::create(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    // RFC 6154 §3 (CREATE-SPECIAL-USE) in the create-params of RFC 4466 §2.2: "(USE (\Drafts ...))".
    QList<QByteArray> uses;
    if (parser.ok() && parser.present(" "))
    {
        parser.cursor().require("(");
        parser.cursor().require("USE (");
        do
        {
            parser.cursor().require("\\");
            const QByteArray use = parser.atom();
            if (parser.ok())
                uses.append('\\' + use);
        } while (parser.ok() && parser.present(" "));
        parser.cursor().require("))");
    }
    if (!requireEnd(request))
        return;
    if (uses.size() > 1)
    {
        no(request, "[USEATTR] A folder has one special use here"_ba);
        return;
    }
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    // RFC 9051 §6.3.4: a trailing hierarchy separator only says that children will follow.
    const auto folder = newFolder(request, name.endsWith('/') ? name.chopped(1) : name);
    if (!folder)
        return;
    const auto created = admin.create(folder->ownerId, folder->name, QString::fromUtf8(uses.value(0)));
    if (!created)
    {
        noFolderError(request, created.error());
        return;
    }
    // A folder made below a shared one is shared alike, so whoever made it keeps seeing it.
    if (folder->parentId != 0)
    {
        if (const Status inherited = FolderAcl(m_services.directory->database).inherit(folder->parentId, created->id);
            !inherited)
            qCWarning(lcImap).noquote() << "cannot copy the parent's ACL:" << inherited.error().message;
    }
    ok(request, "CREATE completed"_ba);
}

void ImapSession::deleteFolder(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, "x", missing(name)); // RFC 4314 §4
    if (!folder)
        return;
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status removed = admin.remove(folder->ownerId, folder->folder.name); !removed)
    {
        noFolderError(request, removed.error());
        return;
    }
    if (m_state == State::Selected && m_selected.folder.id == folder->folder.id)
    {
        // The selected folder is gone: nothing more can be reported about it.
        m_state = State::Authenticated;
        m_selected = {};
    }
    ok(request, "DELETE completed"_ba);
}

void ImapSession::rename(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray from = readMailbox(parser);
    parser.space();
    const QByteArray to = readMailbox(parser);
    if (!requireEnd(request))
        return;
    // RFC 4314 §4: "x" on the folder and "k" on the new parent, within one mailbox.
    const auto source = access(request, from, "x", missing(from));
    if (!source)
        return;
    const auto target = newFolder(request, to);
    if (!target)
        return;
    if (target->ownerId != source->ownerId)
    {
        no(request, "[CANNOT] A folder cannot be renamed into another user's mailbox"_ba);
        return;
    }
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status renamed = admin.rename(source->ownerId, source->folder.name, target->name); !renamed)
    {
        noFolderError(request, renamed.error());
        return;
    }
    ok(request, "RENAME completed"_ba);
}

void ImapSession::subscribe(Request& request)
{
    setSubscribed(request, true);
}

void ImapSession::unsubscribe(Request& request)
{
    setSubscribed(request, false);
}

// SUBSCRIBE / UNSUBSCRIBE (RFC 3501 §6.3.6-7): one argument, the folder name.
void ImapSession::setSubscribed(Request& request, bool subscribed)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, "l", missing(name));
    if (!folder)
        return;
    if (!folder->own)
    {
        // The subscription is kept on the owner's folder row: a shared folder stays subscribed.
        if (subscribed)
            ok(request, "SUBSCRIBE completed"_ba);
        else
            no(request, "[CANNOT] Shared folders are always subscribed"_ba);
        return;
    }
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status changed = admin.setSubscribed(folder->ownerId, folder->folder.name, subscribed); !changed)
    {
        noFolderError(request, changed.error());
        return;
    }
    ok(request, subscribed ? "SUBSCRIBE completed"_ba : "UNSUBSCRIBE completed"_ba);
}

} // namespace promail
