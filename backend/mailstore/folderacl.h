#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace promail
{

class Database;

// A set of RFC 4314 §2.1 rights: l r s w i p k x t e a. The obsolete "c" and "d" of RFC 2086 are
// virtual (RFC 4314 §2.1.1, the group where "c" is "k" + "x" and "d" is "e" + "t").
class AclRights
{
public:
    static constexpr QByteArrayView kLetters = "lrswipkxtea";

    AclRights() = default;
    static AclRights all();

    // The letters of a SETACL/DELETEACL rights string; "c" and "d" expand to their members.
    // Invalid (field "rights") for any other character: RFC 4314 §3.1 answers BAD.
    static Result<AclRights> parse(QByteArrayView letters);

    bool has(char right) const;
    bool hasAll(AclRights rights) const { return (m_bits & rights.m_bits) == rights.m_bits; }
    bool hasAny(QByteArrayView rights) const;
    bool isEmpty() const { return m_bits == 0; }
    AclRights operator|(AclRights other) const { return fromBits(m_bits | other.m_bits); }
    AclRights without(AclRights other) const { return fromBits(m_bits & ~other.m_bits); }
    bool operator==(const AclRights& other) const = default;

    // In kLetters order, for storing: "lr".
    QByteArray letters() const;
    // For ACL and MYRIGHTS responses: letters() plus "c" when any of k/x and "d" when any of e/t
    // (RFC 4314 §2.1.1), so RFC 2086 clients understand them.
    QByteArray withObsolete() const;

private:
    static AclRights fromBits(quint16 bits);
    quint16 m_bits = 0;
};

// One grant of a folder's ACL.
struct AclEntry
{
    qint64 mailboxId = 0; // the grantee
    QString address;      // the grantee's address, lower case
    AclRights rights;
};

// A folder of another mailbox that a mailbox was granted rights on.
struct SharedFolder
{
    qint64 ownerId = 0;
    QString ownerAddress;
    qint64 folderId = 0;
    QString folderName; // as the owner names it
    AclRights rights;
};

// The access control lists of folders (RFC 4314), table folder_acl: one row per folder and
// grantee mailbox. The owner of a folder is not in it: the owner always has every right. A row
// goes with its folder (DELETE; RENAME keeps the folder id, so the ACL stays) and with the
// grantee's mailbox (ON DELETE CASCADE). Identifiers are mailboxes of this server; there is no
// "anyone" and no negative right. Thread-safe like MailStore. The admin API uses it as well.
class FolderAcl
{
public:
    explicit FolderAcl(const Database& database);

    // The id of the active mailbox with this address (case-insensitive); NotFound otherwise.
    Result<qint64> mailboxId(const QString& address) const;

    // The grants of a folder, ordered by address.
    Result<QList<AclEntry>> entries(qint64 folderId) const;
    // The rights of `mailboxId` on the folder: empty when it has none.
    Result<AclRights> rightsOf(qint64 folderId, qint64 mailboxId) const;
    // Replaces the grantee's rights; empty rights remove the grant.
    Status set(qint64 folderId, qint64 granteeId, AclRights rights) const;
    Status remove(qint64 folderId, qint64 granteeId) const;
    // A folder made below a shared one starts with its parent's ACL.
    Status inherit(qint64 parentFolderId, qint64 childFolderId) const;

    // Every folder of other mailboxes on which `granteeId` holds rights, by owner address and name.
    Result<QList<SharedFolder>> sharedWith(qint64 granteeId) const;

private:
    const Database& m_database;
};

} // namespace promail
