#include "mailstore/messagefilereader.h"

using namespace Qt::StringLiterals;

namespace promail
{

Status MessageFileReader::open(const QString& path)
{
    m_file.close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
    {
        // A file that is gone was expunged meanwhile; anything else is the disk's fault.
        if (m_file.error() == QFileDevice::OpenError && !m_file.exists())
            return Error::notFound(u"message file %1 no longer exists"_s.arg(path));
        return Error{ErrorCode::Unavailable, u"cannot open %1: %2"_s.arg(path, m_file.errorString()), {}};
    }
    return {};
}

Result<QByteArray> MessageFileReader::read(qint64 maxBytes)
{
    QByteArray bytes = m_file.read(maxBytes);
    if (bytes.isEmpty() && m_file.error() != QFileDevice::NoError)
        return Error{ErrorCode::Unavailable, u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString()), {}};
    return bytes;
}

} // namespace promail
