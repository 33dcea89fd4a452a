#pragma once

#include "mailstore/folderindex.h"

#include <QByteArray>
#include <QList>

namespace promail
{

// The maildrop of one POP3 session (RFC 1939 §5): the INBOX as it was at login, numbered from 1,
// with the messages marked deleted in this session. Mail that arrives later is not shown until
// the next session, so the numbers never change under the client.
class Pop3Maildrop
{
public:
    Pop3Maildrop() = default;
    explicit Pop3Maildrop(FolderListing listing);

    qint64 folderId() const { return m_listing.folderId; }
    // The messages not marked deleted, and their octets (STAT, RFC 1939 §5).
    qsizetype count() const { return m_listing.messages.size() - m_deleted.count(true); }
    qint64 size() const;
    // The highest message number, deleted or not.
    qsizetype highestNumber() const { return m_listing.messages.size(); }

    // The message numbered `number`; nullptr when there is none or it is marked deleted.
    const FolderMessage* message(qint64 number) const;
    bool isDeleted(qint64 number) const;
    // False when there is no such message or it is already marked.
    bool markDeleted(qint64 number);
    void unmarkAll() { m_deleted.fill(false); }
    QList<qint64> deletedUids() const;

    // RFC 1939 §7 UIDL: "<uidvalidity>-<uid>", the same in every session as long as the folder
    // keeps its UIDVALIDITY.
    QByteArray uniqueId(qint64 number) const;

private:
    bool exists(qint64 number) const { return number >= 1 && number <= m_listing.messages.size(); }

    FolderListing m_listing;
    QList<bool> m_deleted;
};

} // namespace promail
