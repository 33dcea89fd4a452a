#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace promail
{

// Writes a new message file at `path` (which must not exist yet: O_EXCL, mode 0600): `prefix`
// (the Received: and trace headers the server adds) followed by every byte of `sourcePath`. The
// file is closed but not synced; DurableCommitter does that before the file gets its final name.
// Returns the file's size. On any failure the partial file is removed and the error is
// `unavailable` (a full disk or an I/O error is a reason to try again later, RFC 5321 §4.2.5).
Result<qint64> writeSpoolFile(const QString& path, const QByteArray& prefix, const QString& sourcePath);

} // namespace promail
