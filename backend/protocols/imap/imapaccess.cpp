// ImapSession: the one place where a client's folder name becomes a folder and the user's rights
// on it (RFC 4314 §4), with the "Other Users/<owner address>/" namespace of RFC 2342 for folders
// that other mailboxes share by ACL.
#include "directory/directorycontext.h"
#include "mailstore/folderacl.h"
#include "mailstore/folderview.h"
#include "protocols/imap/imapsession.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
AclRights rightsOf(QByteArrayView letters)
{
    const auto rights = AclRights::parse(letters);
    return rights ? *rights : AclRights();
}

// RFC 4314 §4, RFC 5530 §3: which of the rights asked for the user lacks.
QByteArray noPermission(const AclRights& rights, QByteArrayView needed)
{
    QByteArray missing;
    for (const char right : needed)
    {
        if (!rights.has(right))
            missing += right;
    }
    return "[NOPERM] You lack the right(s) \""_ba + missing + "\" on this folder"_ba;
}

// "Other Users/<address>/<folder>" -> {address, folder}; the folder is empty for the namespace's
// own levels, which are not folders.
std::pair<QString, QString> splitShared(const QByteArray& name)
{
    if (name.size() < ImapSession::kOtherUsers.size())
        return {}; // "Other Users" itself
    const QByteArray rest = name.sliced(ImapSession::kOtherUsers.size());
    const qsizetype slash = rest.indexOf('/');
    if (slash < 0)
        return {QString::fromUtf8(rest), QString()};
    return {QString::fromUtf8(rest.first(slash)), QString::fromUtf8(rest.sliced(slash + 1))};
}

bool isShared(const QByteArray& name)
{
    return name.startsWith(ImapSession::kOtherUsers) || name == ImapSession::kOtherUsers.chopped(1);
}
} // namespace

char ImapSession::flagRight(const QByteArray& flag)
{
    if (flag.compare("\\Seen", Qt::CaseInsensitive) == 0)
        return 's';
    if (flag.compare("\\Deleted", Qt::CaseInsensitive) == 0)
        return 't';
    return 'w';
}

std::optional<ImapSession::FolderAccess> ImapSession::access(const Request& request, const QByteArray& name,
                                                             QByteArrayView needed, const QByteArray& notFound)
{
    const FolderAcl acl(m_services.directory->database);
    FolderAccess found;
    QString folderName = QString::fromUtf8(name);
    if (isShared(name))
    {
        const auto [address, folder] = splitShared(name);
        const auto owner = folder.isEmpty() ? Result<qint64>(Error::notFound(address)) : acl.mailboxId(address);
        if (!owner || *owner == m_mailbox->id)
        {
            no(request, !owner && owner.error().code != ErrorCode::NotFound ? "[SERVERBUG] Cannot open the folder"_ba
                                                                            : notFound);
            return std::nullopt;
        }
        found.ownerId = *owner;
        found.own = false;
        const qsizetype at = address.lastIndexOf(u'@');
        found.ownerLocalPart = address.first(at).toLower();
        found.ownerDomain = address.sliced(at + 1).toLower();
        folderName = folder;
    }
    else
    {
        found.ownerId = m_mailbox->id;
        found.ownerDomain = m_mailbox->domain;
        found.ownerLocalPart = m_mailbox->localPart;
        found.rights = AclRights::all(); // RFC 4314 §2: the owner keeps every right
    }
    const auto summary =
        FolderView(m_services.directory->database, m_services.directory->paths).summary(found.ownerId, folderName);
    Result<AclRights> rights = found.rights;
    if (summary && !found.own)
        rights = acl.rightsOf(summary->id, m_mailbox->id);
    if (!summary || !rights)
    {
        const Error& error = summary ? rights.error() : summary.error();
        if (error.code == ErrorCode::NotFound)
            no(request, notFound);
        else
        {
            qCWarning(lcImap).noquote() << error.message;
            no(request, "[SERVERBUG] Cannot open the folder"_ba);
        }
        return std::nullopt;
    }
    found.folder = *summary;
    found.rights = *rights;
    if (found.rights.isEmpty())
    {
        no(request, notFound); // RFC 4314 §6: a folder the user holds no right on does not exist for them
        return std::nullopt;
    }
    if (!found.rights.hasAll(rightsOf(needed)))
    {
        // RFC 4314 §6: without "l" (and without the rights asked for) the folder does not exist.
        no(request, found.rights.has('l') ? noPermission(found.rights, needed) : notFound);
        return std::nullopt;
    }
    return found;
}

bool ImapSession::selectedAllows(const Request& request, QByteArrayView needed)
{
    if (m_access.rights.hasAll(rightsOf(needed)))
        return true;
    no(request, noPermission(m_access.rights, needed));
    return false;
}

std::optional<ImapSession::NewFolder> ImapSession::newFolder(const Request& request, const QByteArray& name)
{
    const qsizetype slash = name.lastIndexOf('/');
    if (!isShared(name))
    {
        NewFolder made{m_mailbox->id, QString::fromUtf8(name), 0};
        if (slash > 0)
        {
            const auto parent = FolderView(m_services.directory->database, m_services.directory->paths)
                                    .summary(m_mailbox->id, QString::fromUtf8(name.first(slash)));
            made.parentId = parent ? parent->id : 0;
        }
        return made;
    }
    const QString folder = splitShared(name).second;
    if (folder.isEmpty())
    {
        no(request, "[CANNOT] The \"Other Users\" namespace holds only folders of other mailboxes"_ba);
        return std::nullopt;
    }
    if (!folder.contains(u'/'))
    {
        // RFC 4314 §4: CREATE needs "k" on the parent; a top-level folder has none but its owner.
        no(request, "[NOPERM] Only the owner creates top-level folders"_ba);
        return std::nullopt;
    }
    const auto parent = access(request, name.first(slash), "k");
    if (!parent)
        return std::nullopt;
    return NewFolder{parent->ownerId, parent->folder.name + u'/' + QString::fromUtf8(name.sliced(slash + 1)),
                     parent->folder.id};
}

std::optional<QList<ImapSession::ListedFolder>> ImapSession::visibleFolders(const Request& request)
{
    const auto own = FolderView(m_services.directory->database, m_services.directory->paths).folders(m_mailbox->id);
    const auto shared = FolderAcl(m_services.directory->database).sharedWith(m_mailbox->id);
    if (!own || !shared)
    {
        qCWarning(lcImap).noquote() << (own ? shared.error().message : own.error().message);
        no(request, "[SERVERBUG] Cannot list the folders"_ba);
        return std::nullopt;
    }
    QList<ListedFolder> folders;
    for (const FolderSummary& folder : *own)
        folders.append({folder.name.toUtf8(), folder.specialUse, folder.subscribed, true, m_mailbox->id, folder.name});
    // RFC 2342 §5: the other users' namespace; RFC 4314 §4: LIST shows what the user may look up.
    QHash<QByteArray, const SharedFolder*> listed;
    for (const SharedFolder& folder : *shared)
    {
        if (folder.rights.has('l'))
            listed.insert(kOtherUsers.toByteArray() + folder.ownerAddress.toUtf8() + '/' + folder.folderName.toUtf8(),
                          &folder);
    }
    QSet<QByteArray> parents;
    for (const QByteArray& name : listed.keys())
    {
        // The levels above a shared folder are \Noselect (RFC 9051 §7.3.1) unless shared themselves.
        for (qsizetype slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1))
        {
            if (!listed.contains(name.first(slash)))
                parents.insert(name.first(slash));
        }
    }
    QList<QByteArray> names = listed.keys() + parents.values();
    std::sort(names.begin(), names.end());
    for (const QByteArray& name : std::as_const(names))
    {
        const SharedFolder* folder = listed.value(name);
        folders.append({name, QString(), folder != nullptr, folder != nullptr, folder ? folder->ownerId : 0,
                        folder ? folder->folderName : QString(), folder && folder->rights.has('r')});
    }
    return folders;
}

} // namespace promail
