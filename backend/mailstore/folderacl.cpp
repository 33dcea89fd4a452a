#include "mailstore/folderacl.h"

#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kAddress = u"b.local_part || '@' || d.name"_s;
} // namespace

AclRights AclRights::fromBits(quint16 bits)
{
    AclRights rights;
    rights.m_bits = bits;
    return rights;
}

AclRights AclRights::all()
{
    return fromBits(quint16((1u << kLetters.size()) - 1));
}

Result<AclRights> AclRights::parse(QByteArrayView letters)
{
    AclRights rights;
    for (const char letter : letters)
    {
        // RFC 4314 §2.1.1: "c" stands for the create group (k x), "d" for the delete group (e t).
        const QByteArrayView members = letter == 'c'   ? QByteArrayView("kx")
                                       : letter == 'd' ? QByteArrayView("et")
                                                       : QByteArrayView(&letter, 1);
        for (const char member : members)
        {
            const qsizetype bit = kLetters.indexOf(member);
            if (bit < 0)
                return Error::invalid(u"rights"_s,
                                      u"\"%1\" is not a right (RFC 4314 §2.1)"_s.arg(QChar::fromLatin1(letter)));
            rights.m_bits |= quint16(1u << bit);
        }
    }
    return rights;
}

bool AclRights::has(char right) const
{
    const qsizetype bit = kLetters.indexOf(right);
    return bit >= 0 && (m_bits & (1u << bit)) != 0;
}

bool AclRights::hasAny(QByteArrayView rights) const
{
    for (const char right : rights)
    {
        if (has(right))
            return true;
    }
    return false;
}

QByteArray AclRights::letters() const
{
    QByteArray text;
    for (const char letter : kLetters)
    {
        if (has(letter))
            text += letter;
    }
    return text;
}

QByteArray AclRights::withObsolete() const
{
    QByteArray text = letters();
    if (hasAny("kx"))
        text += 'c';
    if (hasAny("et"))
        text += 'd';
    return text;
}

FolderAcl::FolderAcl(const Database& database) : m_database(database)
{
}

Result<qint64> FolderAcl::mailboxId(const QString& address) const
{
    auto query = m_database.run(u"SELECT b.id FROM mailboxes b JOIN domains d ON d.id = b.domain_id "
                                "WHERE lower("_s +
                                    kAddress + u") = ? AND b.active = 1"_s,
                                {address.toLower()});
    if (!query)
        return query.error();
    if (!query->next())
        return Error::notFound(u"%1 is not a mailbox of this server"_s.arg(address));
    const qint64 id = query->value(0).toLongLong();
    query->finish();
    return id;
}

Result<QList<AclEntry>> FolderAcl::entries(qint64 folderId) const
{
    auto query = m_database.run(u"SELECT a.mailbox_id, lower("_s + kAddress +
                                    u"), a.rights FROM folder_acl a JOIN mailboxes b ON b.id = a.mailbox_id "
                                    "JOIN domains d ON d.id = b.domain_id WHERE a.folder_id = ? ORDER BY 2"_s,
                                {folderId});
    if (!query)
        return query.error();
    QList<AclEntry> entries;
    while (query->next())
    {
        const auto rights = AclRights::parse(query->value(2).toString().toLatin1());
        entries.append({query->value(0).toLongLong(), query->value(1).toString(), rights ? *rights : AclRights()});
    }
    query->finish();
    return entries;
}

Result<AclRights> FolderAcl::rightsOf(qint64 folderId, qint64 mailboxId) const
{
    auto query = m_database.run(u"SELECT rights FROM folder_acl WHERE folder_id = ? AND mailbox_id = ?"_s,
                                {folderId, mailboxId});
    if (!query)
        return query.error();
    if (!query->next())
        return AclRights();
    const auto rights = AclRights::parse(query->value(0).toString().toLatin1());
    query->finish();
    return rights ? *rights : AclRights();
}

Status FolderAcl::set(qint64 folderId, qint64 granteeId, AclRights rights) const
{
    if (rights.isEmpty())
        return remove(folderId, granteeId);
    const auto stored = m_database.run(u"INSERT INTO folder_acl (folder_id, mailbox_id, rights) VALUES (?, ?, ?) "
                                       "ON CONFLICT (folder_id, mailbox_id) DO UPDATE SET rights = excluded.rights"_s,
                                       {folderId, granteeId, QString::fromLatin1(rights.letters())});
    if (!stored)
        return stored.error();
    return {};
}

Status FolderAcl::remove(qint64 folderId, qint64 granteeId) const
{
    const auto removed =
        m_database.run(u"DELETE FROM folder_acl WHERE folder_id = ? AND mailbox_id = ?"_s, {folderId, granteeId});
    if (!removed)
        return removed.error();
    return {};
}

Status FolderAcl::inherit(qint64 parentFolderId, qint64 childFolderId) const
{
    const auto copied = m_database.run(u"INSERT INTO folder_acl (folder_id, mailbox_id, rights) "
                                       "SELECT ?, mailbox_id, rights FROM folder_acl WHERE folder_id = ? "
                                       "ON CONFLICT (folder_id, mailbox_id) DO NOTHING"_s,
                                       {childFolderId, parentFolderId});
    if (!copied)
        return copied.error();
    return {};
}

Result<QList<SharedFolder>> FolderAcl::sharedWith(qint64 granteeId) const
{
    auto query = m_database.run(u"SELECT f.mailbox_id, lower("_s + kAddress +
                                    u"), f.id, f.name, a.rights FROM folder_acl a "
                                    "JOIN folders f ON f.id = a.folder_id JOIN mailboxes b ON b.id = f.mailbox_id "
                                    "JOIN domains d ON d.id = b.domain_id "
                                    "WHERE a.mailbox_id = ? AND f.mailbox_id <> ? AND b.active = 1 ORDER BY 2, 4"_s,
                                {granteeId, granteeId});
    if (!query)
        return query.error();
    QList<SharedFolder> folders;
    while (query->next())
    {
        const auto rights = AclRights::parse(query->value(4).toString().toLatin1());
        folders.append({query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toLongLong(),
                        query->value(3).toString(), rights ? *rights : AclRights()});
    }
    query->finish();
    return folders;
}

} // namespace promail
