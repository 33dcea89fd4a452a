#include "core/durablefile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
QString systemError(const QString& action, const QString& path)
{
    return u"cannot "_s + action + u' ' + path + u": "_s + QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

Status writeFileDurably(const QString& path, const QByteArray& bytes, mode_t mode)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".tmp";
    ::unlink(temp.constData()); // a leftover of an interrupted run
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return ApiError::internal(systemError(u"create"_s, QFile::decodeName(temp)));
    qsizetype written = 0;
    while (written < bytes.size())
    {
        const ssize_t n = ::write(fd, bytes.constData() + written, static_cast<size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        written += n;
    }
    const bool ok = written == bytes.size() && ::fsync(fd) == 0;
    const QString error = ok ? QString() : systemError(u"write"_s, QFile::decodeName(temp));
    ::close(fd);
    if (!ok || ::rename(temp.constData(), target.constData()) != 0)
    {
        const QString message = ok ? systemError(u"rename to"_s, path) : error;
        ::unlink(temp.constData());
        return ApiError::internal(message);
    }
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    const int dirFd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0)
    {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

} // namespace promail
