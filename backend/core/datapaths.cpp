#include "core/datapaths.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

DataPaths::DataPaths(const QString& root) : m_root(QDir::cleanPath(QFileInfo(root).absoluteFilePath()))
{
}

QString DataPaths::mailboxDirectory(const QString& domain, const QString& localPart) const
{
    return mail() + u'/' + domain + u'/' + localPart;
}

QString uniqueFileName()
{
    // Maildir convention: "/" and ":" in the host name are written as octal escapes.
    static const QString host = []
    {
        QString name = QSysInfo::machineHostName();
        if (name.isEmpty())
            name = u"localhost"_s;
        return name.replace(u'/', u"\\057"_s).replace(u':', u"\\072"_s);
    }();
    static std::atomic<quint64> counter{0};
    struct timeval now = {};
    ::gettimeofday(&now, nullptr);
    return u"%1.M%2P%3Q%4.%5"_s.arg(qint64(now.tv_sec))
        .arg(qint64(now.tv_usec))
        .arg(qint64(::getpid()))
        .arg(counter.fetch_add(1, std::memory_order_relaxed) + 1)
        .arg(host);
}

Status makeDirectory(const QString& path, mode_t mode)
{
    const QString parent = QFileInfo(path).absolutePath();
    if (parent != path && !QFileInfo::exists(parent))
    {
        if (const Status status = makeDirectory(parent, 0755); !status)
            return status;
    }
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), mode) != 0 && errno != EEXIST)
        return Error::internal(
            u"cannot create directory %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st = {};
    if (::stat(native.constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return Error::internal(u"%1 exists but is not a directory"_s.arg(path));
    return {};
}

Status DataPaths::create(uid_t owner, gid_t group) const
{
    for (const QString& dir : {m_root, mail(), queue(), keys(), run(), archive(), incoming()})
    {
        if (const Status status = makeDirectory(dir, 0700); !status)
            return status;
        const QByteArray native = QFile::encodeName(dir);
        if (::chmod(native.constData(), 0700) != 0)
            return Error::internal(
                u"cannot set mode 0700 on %1: %2"_s.arg(dir, QString::fromLocal8Bit(std::strerror(errno))));
        if (owner != uid_t(-1) && ::chown(native.constData(), owner, group) != 0)
            return Error::internal(
                u"cannot change owner of %1: %2"_s.arg(dir, QString::fromLocal8Bit(std::strerror(errno))));
    }
    return {};
}

} // namespace promail
