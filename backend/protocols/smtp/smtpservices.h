#pragma once

#include "protocols/smtp/smtpcapabilities.h"

#include <QString>

namespace promail
{

class DeliveryPipeline;
class ForwardingHosts;
class LoginBans;
class MailStore;
class SettingsStore;
class TlsContext;
struct DirectoryContext;

// What every SMTP session of one daemon shares. All of it is safe to use from worker threads.
struct SmtpServices
{
    QString hostname;
    const DirectoryContext* directory = nullptr;
    const SettingsStore* settings = nullptr;
    const TlsContext* tls = nullptr; // nullptr: no STARTTLS
    LoginBans* bans = nullptr;
    const ForwardingHosts* forwardingHosts = nullptr;
    const DeliveryPipeline* delivery = nullptr;
    const MailStore* store = nullptr; // quota usage at RCPT time
    QString incomingDirectory;        // where message data is written while it arrives
};

} // namespace promail
