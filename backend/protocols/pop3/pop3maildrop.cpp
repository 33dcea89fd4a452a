#include "protocols/pop3/pop3maildrop.h"

namespace promail
{

Pop3Maildrop::Pop3Maildrop(FolderListing listing)
    : m_listing(std::move(listing)), m_deleted(m_listing.messages.size(), false)
{
}

qint64 Pop3Maildrop::size() const
{
    qint64 total = 0;
    for (qsizetype i = 0; i < m_listing.messages.size(); ++i)
    {
        if (!m_deleted[i])
            total += m_listing.messages[i].size;
    }
    return total;
}

const FolderMessage* Pop3Maildrop::message(qint64 number) const
{
    if (!exists(number) || m_deleted[number - 1])
        return nullptr;
    return &m_listing.messages[number - 1];
}

bool Pop3Maildrop::isDeleted(qint64 number) const
{
    return exists(number) && m_deleted[number - 1];
}

bool Pop3Maildrop::markDeleted(qint64 number)
{
    if (!exists(number) || m_deleted[number - 1])
        return false;
    m_deleted[number - 1] = true;
    return true;
}

QList<qint64> Pop3Maildrop::deletedUids() const
{
    QList<qint64> uids;
    for (qsizetype i = 0; i < m_listing.messages.size(); ++i)
    {
        if (m_deleted[i])
            uids.append(m_listing.messages[i].uid);
    }
    return uids;
}

QByteArray Pop3Maildrop::uniqueId(qint64 number) const
{
    if (!exists(number))
        return {};
    return QByteArray::number(m_listing.uidValidity) + '-' + QByteArray::number(m_listing.messages[number - 1].uid);
}

} // namespace promail
