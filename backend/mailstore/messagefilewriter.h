#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace promail
{

// A message file just written under tmp/: its unique name and its size in bytes.
struct WrittenFile
{
    QString name;
    qint64 size = 0;
};

// Writes the copies of one message: each copy is its own header prefix followed by the bytes of
// the source file (the spooled DATA) from a given offset, into a new file created with O_EXCL,
// mode 0600. The file is closed but not synced; the DurableCommitter syncs it before renaming it
// into new/.
class MessageFileWriter
{
public:
    MessageFileWriter() = default;
    ~MessageFileWriter();
    Q_DISABLE_COPY_MOVE(MessageFileWriter)

    Status open(const QString& sourcePath);
    qint64 sourceSize() const { return m_sourceSize; }

    // Creates a uniquely named file in `directory` holding `prefix` and the source from
    // `sourceOffset` (0 to sourceSize()) on. On any failure nothing is left behind.
    Result<WrittenFile> write(const QString& directory, const QByteArray& prefix, qint64 sourceOffset);

private:
    Result<qint64> copyInto(int fd, const QString& path, const QByteArray& prefix, qint64 sourceOffset);

    QString m_sourcePath;
    int m_source = -1;
    qint64 m_sourceSize = 0;
    QByteArray m_buffer;
};

} // namespace promail
