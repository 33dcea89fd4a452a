#include "commandtable.h"

namespace promail
{

QList<Command> allCommands()
{
    return domainCommands() + mailboxCommands() + aliasCommands() + systemCommands();
}

} // namespace promail
