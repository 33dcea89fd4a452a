#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace promail
{

// Reads a delivered message file piece by piece, so a large message is never held in memory
// whole (POP3 RETR, IMAP FETCH of a body). The files never change after delivery.
class MessageFileReader
{
public:
    MessageFileReader() = default;
    Q_DISABLE_COPY_MOVE(MessageFileReader)

    Status open(const QString& path);
    // Up to `maxBytes` further bytes; empty at the end of the file.
    Result<QByteArray> read(qint64 maxBytes);
    bool atEnd() const { return m_file.atEnd(); }
    void close() { m_file.close(); }

private:
    QFile m_file;
};

} // namespace promail
