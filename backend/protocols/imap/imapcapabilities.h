#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

// When a capability is advertised (RFC 9051 §7.2.2: the list may change with the state).
enum class ImapCapabilityScope
{
    Always,
    BeforeTls,   // not authenticated, on the imap port before STARTTLS
    BeforeLogin, // not authenticated, on a connection where logins are allowed (TLS)
};

// One capability with its standard and the integration test that exercises it (STYLE.md §5;
// issue 4: a capability is advertised only when a test over a real socket exercises it).
struct ImapCapability
{
    QByteArray name;
    ImapCapabilityScope scope = ImapCapabilityScope::Always;
    QString rfc;
    QString test; // "<file in tests/integration> Class.method"
    QString summary;
    bool enableable = false; // ENABLE (RFC 5161) may turn it on
};

// In the order CAPABILITY lists them.
const QList<ImapCapability>& imapCapabilities();

} // namespace promail
