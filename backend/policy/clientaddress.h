#pragma once

#include <QHostAddress>

namespace promail
{

// The form of a client IP that bans and forwarding hosts compare: an IPv4-mapped IPv6 address
// (RFC 4291 §2.5.5.2, what a dual-stack listener reports for IPv4 clients) becomes plain IPv4,
// and an IPv6 zone id is dropped, so one host has one key however it connected.
QHostAddress normalisedClientAddress(const QHostAddress& address);

} // namespace promail
