#pragma once

#include <QString>

namespace promail
{

class ConnectionCounter;
class DeliveryPipeline;
class DurableCommitter;
class ForwardingHosts;
class LoginBans;
class MailStore;
class SettingsStore;
class TlsContext;
struct DirectoryContext;

// What the protocol sessions (SMTP, POP3, IMAP, ...) of one daemon share. All of it is safe to
// use from worker threads.
struct ProtocolServices
{
    QString hostname;
    const DirectoryContext* directory = nullptr;
    const SettingsStore* settings = nullptr;
    const TlsContext* tls = nullptr; // nullptr: no STARTTLS
    LoginBans* bans = nullptr;
    const ForwardingHosts* forwardingHosts = nullptr;
    const DeliveryPipeline* delivery = nullptr;
    const MailStore* store = nullptr;
    DurableCommitter* committer = nullptr;
    QString incomingDirectory;                    // where message data is written while it arrives
    ConnectionCounter* imapConnections = nullptr; // logged-in IMAP sessions per mailbox
};

} // namespace promail
