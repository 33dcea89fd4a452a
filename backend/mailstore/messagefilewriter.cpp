#include "mailstore/messagefilewriter.h"

#include "core/datapaths.h"

#include "mailstore/maildirlayout.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr qsizetype kChunkSize = 64 * 1024;
constexpr int kNameAttempts = 3;

// Short writes and EINTR are not errors; a write that makes no progress is treated as a full disk.
bool writeAll(int fd, const char* data, qsizetype size)
{
    while (size > 0)
    {
        const ssize_t written = ::write(fd, data, size_t(size));
        if (written < 0)
        {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (written == 0)
        {
            errno = ENOSPC;
            return false;
        }
        data += written;
        size -= written;
    }
    return true;
}
} // namespace

MessageFileWriter::~MessageFileWriter()
{
    if (m_source >= 0)
        ::close(m_source);
}

Status MessageFileWriter::open(const QString& sourcePath)
{
    if (m_source >= 0)
        ::close(m_source);
    m_sourcePath = sourcePath;
    m_source = ::open(QFile::encodeName(sourcePath).constData(), O_RDONLY | O_CLOEXEC);
    if (m_source < 0)
        return fileSystemError(u"cannot open"_s, sourcePath, errno);
    struct stat st = {};
    if (::fstat(m_source, &st) != 0)
        return fileSystemError(u"cannot read"_s, sourcePath, errno);
    m_sourceSize = st.st_size;
    m_buffer.resize(kChunkSize);
    return {};
}

Result<WrittenFile> MessageFileWriter::write(const QString& directory, const QByteArray& prefix, qint64 sourceOffset)
{
    if (sourceOffset < 0 || sourceOffset > m_sourceSize)
        return Error::invalid(u"source_offset"_s,
                              u"offset %1 lies outside the message (%2 bytes)"_s.arg(sourceOffset).arg(m_sourceSize));
    for (int attempt = 0; attempt < kNameAttempts; ++attempt)
    {
        const QString name = uniqueFileName();
        const QString path = directory + u'/' + name;
        const QByteArray native = QFile::encodeName(path);
        const int fd = ::open(native.constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0)
        {
            if (errno == EEXIST)
                continue; // another process on a host of the same name; take the next counter
            return fileSystemError(u"cannot create"_s, path, errno);
        }
        auto copied = copyInto(fd, path, prefix, sourceOffset);
        // close() reports delayed write errors (NFS, some quota implementations).
        if (::close(fd) != 0 && copied)
            copied = fileSystemError(u"cannot write"_s, path, errno);
        if (!copied)
        {
            ::unlink(native.constData());
            return copied.error();
        }
        return WrittenFile{name, *copied};
    }
    return Error::internal(u"cannot find an unused file name in %1"_s.arg(directory));
}

Result<qint64> MessageFileWriter::copyInto(int fd, const QString& path, const QByteArray& prefix, qint64 sourceOffset)
{
    if (m_source < 0)
        return Error::internal(u"no message source is open"_s);
    if (!writeAll(fd, prefix.constData(), prefix.size()))
        return fileSystemError(u"cannot write"_s, path, errno);
    qint64 total = prefix.size();
    off_t offset = off_t(sourceOffset);
    for (;;)
    {
        // pread: every copy reads the source from its start without sharing a file position.
        const ssize_t got = ::pread(m_source, m_buffer.data(), size_t(m_buffer.size()), offset);
        if (got < 0)
        {
            if (errno == EINTR)
                continue;
            return fileSystemError(u"cannot read"_s, m_sourcePath, errno);
        }
        if (got == 0)
            break;
        if (!writeAll(fd, m_buffer.constData(), got))
            return fileSystemError(u"cannot write"_s, path, errno);
        offset += got;
        total += got;
    }
    return total;
}

} // namespace promail
