#pragma once

#include "admin/params.h"
#include "directory/directorytypes.h"
#include "directory/recipientresolver.h"
#include "storage/eventlog.h"
#include "storage/paging.h"

#include <QJsonArray>
#include <QJsonObject>

namespace promail
{

// Wire form of the directory's records (docs/admin-api.md). Keys are snake_case.
namespace codec
{
QString timestamp(const QDateTime& at);

QJsonObject toJson(const Domain& domain);
QJsonObject toJson(const DomainAlias& alias);
QJsonObject toJson(const Mailbox& mailbox);
QJsonObject toJson(const Alias& alias);
QJsonObject toJson(const MailingList& list);
QJsonObject toJson(const Resolution& resolution);
QJsonObject toJson(const Event& event);

template <typename T>
QJsonObject pageToJson(const Page<T>& page)
{
    QJsonArray items;
    for (const T& item : page.items)
        items.append(toJson(item));
    return {{QStringLiteral("items"), items},
            {QStringLiteral("next_cursor"), page.nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page.nextCursor)}};
}

PageRequest readPage(Params& params);
DomainInput readDomain(Params& params);
DomainAliasInput readDomainAlias(Params& params);
MailboxInput readMailbox(Params& params);
AliasInput readAlias(Params& params);
MailingListInput readList(Params& params);
} // namespace codec

} // namespace promail
