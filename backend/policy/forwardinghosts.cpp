#include "policy/forwardinghosts.h"

#include "core/logging.h"
#include "policy/clientaddress.h"
#include "storage/database.h"

#include <QReadLocker>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QWriteLocker>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
const QString kField = u"network"_s;
constexpr qsizetype kMaxDescription = 256;

// Dotted quad only: Qt would also take "10" or "127.1" (inet_aton forms), which read as typos.
bool isDottedQuad(const QString& text)
{
    static const QRegularExpression quad(u"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
                                         "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$"_s);
    return quad.match(text).hasMatch();
}

// Zeroes the bits after the prefix: 192.0.2.7/24 is the network 192.0.2.0/24.
QHostAddress networkAddress(const QHostAddress& address, int prefix)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
    {
        const quint32 mask = prefix == 0 ? 0 : ~quint32(0) << (32 - prefix);
        return QHostAddress(address.toIPv4Address() & mask);
    }
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int bit = prefix; bit < 128; ++bit)
        bytes[bit / 8] &= quint8(~(0x80u >> (bit % 8)));
    return QHostAddress(bytes);
}
} // namespace

ForwardingHosts::ForwardingHosts(const Database& database) : m_database(database)
{
}

Result<ForwardingHosts::Network> ForwardingHosts::parseNetwork(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return Error::invalid(kField, u"give an IP address or a CIDR network, e.g. 192.0.2.0/24 or 2001:db8::/32"_s);
    const qsizetype slash = text.indexOf(u'/');
    const QString host = slash < 0 ? text : text.left(slash);
    const QString notAnAddress =
        u"'%1' is not an IP address or a CIDR network (e.g. 192.0.2.0/24 or 2001:db8::/32)"_s.arg(text);
    QHostAddress address;
    const bool isIPv6 = host.contains(u':');
    if ((!isIPv6 && !isDottedQuad(host)) || host.contains(u'%') || !address.setAddress(host))
        return Error::invalid(kField, notAnAddress);
    const int maxPrefix = isIPv6 ? 128 : 32;
    int prefix = maxPrefix;
    if (slash >= 0)
    {
        const QString length = text.mid(slash + 1);
        bool ok = !length.isEmpty() && length.size() <= 3 &&
                  std::all_of(length.cbegin(), length.cend(), [](QChar c) { return c.isDigit(); });
        prefix = ok ? length.toInt(&ok) : -1;
        if (!ok || prefix > maxPrefix)
            return Error::invalid(kField,
                                  u"'%1': the prefix length must be a number from 1 to %2"_s.arg(text).arg(maxPrefix));
    }
    // An IPv4-mapped network (::ffff:192.0.2.0/120) is an IPv4 network: clients are compared as IPv4.
    const QHostAddress normalised = normalisedClientAddress(address);
    if (isIPv6 && normalised.protocol() == QAbstractSocket::IPv4Protocol && prefix >= 96)
    {
        address = normalised;
        prefix -= 96;
    }
    if (prefix == 0)
        return Error::invalid(kField,
                              u"'%1' covers every address: any host could then send as the local domains"_s.arg(text));
    return Network{networkAddress(address, prefix), prefix};
}

QString ForwardingHosts::networkText(const Network& network)
{
    return network.first.toString() + u'/' + QString::number(network.second);
}

Status ForwardingHosts::load()
{
    auto query = m_database.run(u"SELECT network FROM forwarding_hosts ORDER BY id"_s);
    if (!query)
        return query.error();
    QList<Network> networks;
    while (query->next())
    {
        const QString text = query->value(0).toString();
        const auto network = parseNetwork(text);
        if (!network)
        {
            // Only add() writes rows, so this is a hand-edited database; skip rather than refuse to start.
            qCWarning(lcStorage).noquote() << "ignoring forwarding host" << text << ":" << network.error().message;
            continue;
        }
        networks.append(*network);
    }
    QWriteLocker locker(&m_lock);
    m_networks = std::move(networks);
    return {};
}

bool ForwardingHosts::contains(const QHostAddress& client) const
{
    if (client.isNull())
        return false;
    const QHostAddress address = normalisedClientAddress(client);
    QReadLocker locker(&m_lock);
    return std::any_of(m_networks.cbegin(), m_networks.cend(),
                       [&](const Network& network) { return address.isInSubnet(network); });
}

Result<QList<ForwardingHost>> ForwardingHosts::list() const
{
    auto query = m_database.run(u"SELECT network, description, created_at FROM forwarding_hosts ORDER BY id"_s);
    if (!query)
        return query.error();
    QList<ForwardingHost> hosts;
    while (query->next())
        hosts.append({query->value(0).toString(), query->value(1).toString(),
                      QDateTime::fromSecsSinceEpoch(query->value(2).toLongLong(), Qt::UTC)});
    return hosts;
}

Result<ForwardingHost> ForwardingHosts::add(const QString& network, const QString& description)
{
    const auto parsed = parseNetwork(network);
    if (!parsed)
        return parsed.error();
    const QString text = networkText(*parsed);
    const QString trimmed = description.trimmed();
    if (trimmed.size() > kMaxDescription)
        return Error::invalid(u"description"_s, u"the description is longer than %1 characters"_s.arg(kMaxDescription));
    auto existing = m_database.run(u"SELECT 1 FROM forwarding_hosts WHERE network = ?"_s, {text});
    if (!existing)
        return existing.error();
    if (existing->next())
        return Error::conflict(u"%1 is already a forwarding host"_s.arg(text), kField);
    existing->finish();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto inserted = m_database.run(
        u"INSERT INTO forwarding_hosts (network, description, created_at) VALUES (?, ?, ?)"_s, {text, trimmed, now});
    if (!inserted)
        return inserted.error();
    if (const Status loaded = load(); !loaded)
        return loaded.error();
    return ForwardingHost{text, trimmed, QDateTime::fromSecsSinceEpoch(now, Qt::UTC)};
}

Status ForwardingHosts::remove(const QString& network)
{
    const auto parsed = parseNetwork(network);
    if (!parsed)
        return parsed.error();
    const QString text = networkText(*parsed);
    auto removed = m_database.run(u"DELETE FROM forwarding_hosts WHERE network = ?"_s, {text});
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() == 0)
        return Error::notFound(u"%1 is not a forwarding host"_s.arg(text));
    return load();
}

} // namespace promail
