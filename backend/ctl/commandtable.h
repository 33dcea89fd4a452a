#pragma once

#include "command.h"

#include <QList>

namespace promail
{

// promailctl's verbs, one function per resource group (docs/admin-api.md "promailctl").
QList<Command> domainCommands();  // domain, domain-alias, catch-all
QList<Command> mailboxCommands(); // mailbox
QList<Command> aliasCommands();   // alias, list
QList<Command> queueCommands();   // queue
QList<Command> dkimCommands();    // dkim
QList<Command> systemCommands();  // settings, events, resolve, tls, status
QList<Command> policyCommands();  // ban, forwarding-host

QList<Command> allCommands();

} // namespace promail
