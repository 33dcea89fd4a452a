#include "commandtable.h"

namespace promail
{

QList<Command> allCommands()
{
    return domainCommands() + mailboxCommands() + aliasCommands() + queueCommands() + dkimCommands() +
           systemCommands() + policyCommands();
}

} // namespace promail
