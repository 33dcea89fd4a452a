#include "queue/spoolfile.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr qsizetype kChunkSize = 64 * 1024;

Error ioError(const QString& what, const QString& path, int error)
{
    return Error{
        ErrorCode::Unavailable, u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(error))), {}};
}

// Closes a descriptor on every return path.
class Descriptor
{
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(Descriptor)

    int fd() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }

    // close(2) can report a failed write-back (NFS, quotas); on Linux the descriptor is gone either
    // way, so EINTR is not retried.
    int close()
    {
        const int rc = ::close(m_fd);
        m_fd = -1;
        return rc != 0 && errno != EINTR ? errno : 0;
    }

private:
    int m_fd = -1;
};

// 0 on success, else errno; write(2) may be interrupted or write less than asked.
int writeAll(int fd, const char* data, qsizetype size)
{
    while (size > 0)
    {
        const ssize_t written = ::write(fd, data, size_t(size));
        if (written < 0)
        {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (written == 0)
            return EIO; // no progress and no error: do not spin
        data += written;
        size -= written;
    }
    return 0;
}

// Bytes read (0 at the end), or -errno.
ssize_t readSome(int fd, char* buffer, qsizetype size)
{
    for (;;)
    {
        const ssize_t n = ::read(fd, buffer, size_t(size));
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return -errno;
    }
}
} // namespace

Result<qint64> writeSpoolFile(const QString& path, const QByteArray& prefix, const QString& sourcePath)
{
    Descriptor source(::open(QFile::encodeName(sourcePath).constData(), O_RDONLY | O_CLOEXEC));
    if (!source.isValid())
        return ioError(u"cannot open"_s, sourcePath, errno);
    const QByteArray native = QFile::encodeName(path);
    Descriptor target(::open(native.constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600));
    if (!target.isValid())
        return ioError(u"cannot create"_s, path, errno);

    // Whatever goes wrong from here, no partial file may stay behind.
    const auto fail = [&](const QString& what, const QString& where, int error) -> Error
    {
        if (target.isValid())
            target.close();
        ::unlink(native.constData());
        return ioError(what, where, error);
    };

    qint64 size = prefix.size();
    if (const int error = writeAll(target.fd(), prefix.constData(), prefix.size()); error != 0)
        return fail(u"cannot write"_s, path, error);
    QByteArray buffer(kChunkSize, Qt::Uninitialized);
    for (;;)
    {
        const ssize_t n = readSome(source.fd(), buffer.data(), buffer.size());
        if (n < 0)
            return fail(u"cannot read"_s, sourcePath, int(-n));
        if (n == 0)
            break;
        if (const int error = writeAll(target.fd(), buffer.constData(), n); error != 0)
            return fail(u"cannot write"_s, path, error);
        size += n;
    }
    if (const int error = target.close(); error != 0)
        return fail(u"cannot write"_s, path, error);
    return size;
}

} // namespace promail
