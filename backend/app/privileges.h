#pragma once

#include "core/result.h"

#include <sys/types.h>

namespace promail
{

// The account promaild runs as ([server] user). Root is refused unless it is told whom to become.
struct RunAs
{
    bool dropNeeded = false;
    uid_t uid = uid_t(-1);
    gid_t gid = gid_t(-1);
    QString name;
};

class Privileges
{
public:
    // Decides from the configured user and the current uid; an error names the [server] user key.
    static Result<RunAs> plan(const QString& configuredUser);
    // setgroups + setgid + setuid, in that order, and checks that root cannot be regained.
    static Status drop(const RunAs& runAs);
    // Raises the open-file soft limit to the hard limit (many idle IMAP connections); returns it.
    static quint64 raiseFileLimit();
};

} // namespace promail
