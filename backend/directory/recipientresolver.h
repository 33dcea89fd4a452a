#pragma once

#include "directory/directorycontext.h"

#include <QSet>

namespace promail
{

// One local mailbox that a recipient reaches, with the +tag it was addressed with.
struct LocalRecipient
{
    qint64 mailboxId = 0;
    QString address;
    QString tag;
    bool viaList = false; // reached only as a list member (seed 001: such copies are suppressed
                          // when the member is also a direct To/Cc recipient of the message)
};

struct Resolution
{
    enum class Status
    {
        Ok,       // deliver to `mailboxes` and `external`
        Unknown,  // no such address (and no catch-all)
        Inactive, // the address exists but is switched off (and no catch-all)
        NotLocal, // the domain is not one of ours: relaying, not delivery
    };

    Status status = Status::Unknown;
    QList<LocalRecipient> mailboxes; // each mailbox once, even when reached by several routes
    QStringList external;
    QStringList externalViaList; // those of `external` reached only as list members
    QStringList lists;           // lists expanded on the way, for members-only checks
    QString reason;              // why the status is not Ok, or what was skipped on the way
};

QString resolutionStatusName(Resolution::Status status);

// Turns an envelope recipient into final local mailboxes and external addresses, applying in
// order: domain alias → exact mailbox / list / alias → sub-address (user+tag → user, tag kept)
// → wildcard alias → catch-all. Aliases of aliases are followed with loop detection and the
// depth limit of the setting directory.alias_max_depth.
class RecipientResolver
{
public:
    explicit RecipientResolver(const DirectoryContext& context) : m_context(context), m_queries(context.database) {}

    Result<Resolution> resolve(const QString& recipient) const;

private:
    struct Walk;
    enum class Outcome
    {
        Delivered,
        Unknown,
        Inactive,
    };

    // `viaList`: this branch was reached through a list's members.
    Result<Outcome> expandLocal(Walk& walk, const QString& localPart, qint64 domainId, const QString& domain,
                                const QString& tag, int depth, bool topLevel, bool viaList) const;
    Result<Outcome> expandExact(Walk& walk, const QString& localPart, qint64 domainId, const QString& domain,
                                const QString& tag, int depth, bool topLevel, bool viaList, bool* found) const;
    Result<Outcome> expandInactive(Walk& walk, const QString& address, qint64 domainId, int depth, bool topLevel,
                                   bool viaList) const;
    Status expandDestinations(Walk& walk, const QStringList& destinations, int depth, bool viaList) const;
    // The local domain id of `domain` after domain aliases, 0 when it is not local.
    Result<std::pair<qint64, QString>> localDomain(const QString& domain, bool* inactive) const;

    const DirectoryContext& m_context;
    DirectoryQueries m_queries;
};

} // namespace promail
