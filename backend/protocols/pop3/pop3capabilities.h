#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

// When a CAPA line is offered (RFC 2449 §5: the list may differ by state and by TLS).
enum class Pop3CapabilityScope
{
    Always,
    BeforeLogin, // AUTHORIZATION state, on a connection where logins are allowed (TLS)
    BeforeTls,   // AUTHORIZATION state, on the plain port before STLS
};

// One CAPA tag with the standard that defines it (STYLE.md §5: capabilities are data; the CAPA
// reply and docs/rfc-compliance.md are derived from this table).
struct Pop3Capability
{
    QByteArray keyword; // "TOP", "SASL", ...; the session adds the SASL mechanism names
    Pop3CapabilityScope scope = Pop3CapabilityScope::Always;
    QString rfc;
    QString summary;
};

// In the order CAPA lists them.
const QList<Pop3Capability>& pop3Capabilities();

} // namespace promail
