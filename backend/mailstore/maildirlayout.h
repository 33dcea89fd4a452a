#pragma once

#include "core/datapaths.h"
#include "core/result.h"

#include <QString>

namespace promail
{

// Where message files live (ARCHITECTURE.md "Data"): data_dir/mail/<domain>/<local>/<folder id>/
// {tmp,new,cur}. Folder directories are named by folders.id, so renaming a folder is a row update.
class MaildirLayout
{
public:
    // The mailbox's directory; refuses names that would leave data_dir/mail ("..", "/", NUL).
    static Result<QString> mailboxDirectory(const DataPaths& paths, const QString& domain, const QString& localPart);

    static QString folderDirectory(const QString& mailboxDirectory, qint64 folderId);

    // messages.file: "<folder id>/<new|cur>/<name>", relative to the mailbox directory.
    static QString relativeFile(qint64 folderId, const QString& subdirectory, const QString& name);

    // Creates every missing level from data_dir/mail down to the folder's tmp/, new/ and cur/
    // (mode 0700); each directory made here is fsync'd into its parent, so the committer's
    // fsync of new/ is enough to make a delivered file's name durable.
    static Status createFolder(const DataPaths& paths, const QString& mailboxDirectory, qint64 folderId);
};

// An I/O failure as the `unavailable` error that becomes an SMTP 4xx (ARCHITECTURE.md "Durability").
Error fileSystemError(const QString& what, const QString& path, int errorNumber);

} // namespace promail
