#include "commandtable.h"

namespace promail
{

QList<Command> allCommands()
{
    return domainCommands() + mailboxCommands() + aliasCommands() + queueCommands() + systemCommands() +
           policyCommands();
}

} // namespace promail
