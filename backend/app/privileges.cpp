#include "privileges.h"

#include "core/logging.h"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

Result<RunAs> Privileges::plan(const QString& configuredUser)
{
    RunAs runAs;
    if (configuredUser.isEmpty())
    {
        if (::geteuid() == 0)
            return Error::invalid(u"server.user"_s, u"refusing to run as root: set [server] user = ACCOUNT "
                                                    "and promaild drops to it after start-up"_s);
        return runAs;
    }
    const QByteArray name = configuredUser.toLocal8Bit();
    const struct passwd* entry = ::getpwnam(name.constData());
    if (!entry)
        return Error::invalid(u"server.user"_s, u"[server] user: there is no account '%1'"_s.arg(configuredUser));
    runAs.uid = entry->pw_uid;
    runAs.gid = entry->pw_gid;
    runAs.name = configuredUser;
    if (::geteuid() == runAs.uid)
        return runAs; // already that account (e.g. systemd User=)
    if (::geteuid() != 0)
        return Error::invalid(u"server.user"_s, u"[server] user = %1, but promaild was started as uid %2, "
                                                "not root, so it cannot switch"_s.arg(configuredUser)
                                                    .arg(::geteuid()));
    if (runAs.uid == 0)
        return Error::invalid(u"server.user"_s, u"[server] user must not be root"_s);
    runAs.dropNeeded = true;
    return runAs;
}

Status Privileges::drop(const RunAs& runAs)
{
    if (!runAs.dropNeeded)
        return {};
    const QByteArray name = runAs.name.toLocal8Bit();
    if (::initgroups(name.constData(), runAs.gid) != 0 || ::setgid(runAs.gid) != 0 || ::setuid(runAs.uid) != 0)
        return Error::internal(
            u"cannot drop privileges to %1: %2"_s.arg(runAs.name, QString::fromLocal8Bit(std::strerror(errno))));
    if (::setuid(0) == 0)
        return Error::internal(u"privileges were not dropped: root could be regained"_s);
    qCInfo(lcCore).noquote() << "running as user" << runAs.name;
    return {};
}

quint64 Privileges::raiseFileLimit()
{
    struct rlimit limit = {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max)
    {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            qCWarning(lcCore) << "cannot raise the open-file limit:" << std::strerror(errno);
    }
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return quint64(limit.rlim_cur);
}

} // namespace promail
