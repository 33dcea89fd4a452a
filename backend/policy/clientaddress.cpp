#include "policy/clientaddress.h"

namespace promail
{

QHostAddress normalisedClientAddress(const QHostAddress& address)
{
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address;
    // Checked by hand: Qt's toIPv4Address() also turns "::" into 0.0.0.0.
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    bool mapped = bytes[10] == 0xff && bytes[11] == 0xff;
    for (int i = 0; i < 10 && mapped; ++i)
        mapped = bytes[i] == 0;
    if (mapped)
        return QHostAddress(quint32(bytes[12]) << 24 | quint32(bytes[13]) << 16 | quint32(bytes[14]) << 8 | bytes[15]);
    QHostAddress withoutZone(address);
    withoutZone.setScopeId(QString());
    return withoutZone;
}

} // namespace promail
