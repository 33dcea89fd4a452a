// ImapSession: folder administration — CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE
// (RFC 9051 §6.3.4-6.3.8) through FolderAdmin, errors as RFC 5530 response codes.
#include "directory/directorycontext.h"
#include "mailstore/folderadmin.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

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
    const QByteArray name = parser.mailboxName();
    if (!requireEnd(request))
        return;
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    // RFC 9051 §6.3.4: a trailing hierarchy separator only says that children will follow.
    const QString folder = QString::fromUtf8(name.endsWith('/') ? name.chopped(1) : name);
    if (const auto created = admin.create(m_mailbox->id, folder); !created)
    {
        noFolderError(request, created.error());
        return;
    }
    ok(request, "CREATE completed"_ba);
}

void ImapSession::deleteFolder(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = parser.mailboxName();
    if (!requireEnd(request))
        return;
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status removed = admin.remove(m_mailbox->id, QString::fromUtf8(name)); !removed)
    {
        noFolderError(request, removed.error());
        return;
    }
    if (m_state == State::Selected && m_selected.folder.name == QString::fromUtf8(name))
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
    const QByteArray from = parser.mailboxName();
    parser.space();
    const QByteArray to = parser.mailboxName();
    if (!requireEnd(request))
        return;
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status renamed = admin.rename(m_mailbox->id, QString::fromUtf8(from), QString::fromUtf8(to)); !renamed)
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
    const QByteArray name = parser.mailboxName();
    if (!requireEnd(request))
        return;
    const FolderAdmin admin(m_services.directory->database, m_services.directory->paths, *m_services.committer);
    if (const Status changed = admin.setSubscribed(m_mailbox->id, QString::fromUtf8(name), subscribed); !changed)
    {
        noFolderError(request, changed.error());
        return;
    }
    ok(request, subscribed ? "SUBSCRIBE completed"_ba : "UNSUBSCRIBE completed"_ba);
}

} // namespace promail
