#pragma once

#include "core/result.h"
#include "storage/paging.h"

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QReadWriteLock>

#include <utility>

namespace promail
{

class Database;

struct ForwardingHost
{
    QString network; // an IP or CIDR network, canonical ("192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32")
    QString description;
    QDateTime createdAt;
};

// Hosts allowed to hand over mail from local domains on port 25 without authenticating (seed
// 004 "Forwarding hosts", e.g. a backup MX): the anti-spoof check lets them through.
// contains() is called per SMTP transaction from worker threads: it reads a cached copy.
class ForwardingHosts
{
public:
    explicit ForwardingHosts(const Database& database);

    Status load();
    bool contains(const QHostAddress& client) const;

    Result<QList<ForwardingHost>> list() const;
    Result<ForwardingHost> add(const QString& network, const QString& description);
    Status remove(const QString& network);

private:
    using Network = std::pair<QHostAddress, int>; // address with host bits zero, prefix length

    // An IP or CIDR network as an admin types it, canonical; errors name the field "network".
    static Result<Network> parseNetwork(const QString& input);
    static QString networkText(const Network& network);

    const Database& m_database;
    mutable QReadWriteLock m_lock;
    QList<Network> m_networks;
};

} // namespace promail
