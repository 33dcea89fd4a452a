#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <sys/types.h>

namespace promail
{

// Writes a whole small file (a key, a certificate) so that a crash never leaves half of it:
// "<path>.tmp" is created with `mode` (O_EXCL), written, fsync'd, renamed over `path`, and the
// directory is fsync'd (ARCHITECTURE.md "Durability"). On failure nothing is left at "<path>.tmp".
Status writeFileDurably(const QString& path, const QByteArray& bytes, mode_t mode);

} // namespace promail
