#include "mailstore/mailstore.h"

#include "mailstore/maildirlayout.h"
#include "mailstore/maildirrecovery.h"
#include "mailstore/mailindex.h"
#include "mailstore/messagefilewriter.h"
#include "storage/database.h"

#include <QFile>
#include <QSet>
#include <QStringList>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §5.1: the name INBOX is case-insensitive; any other name is kept as given.
QString canonicalFolderName(const QString& name)
{
    return name.compare(u"INBOX"_s, Qt::CaseInsensitive) == 0 ? u"INBOX"_s : name;
}

void removeFiles(const QList<FileCommit>& files)
{
    for (const FileCommit& file : files)
        ::unlink(QFile::encodeName(file.tempPath).constData());
}
} // namespace

MailStore::MailStore(const Database& database, const DataPaths& paths) : m_database(database), m_paths(paths)
{
}

const QList<StandardFolder>& MailStore::standardFolders()
{
    // RFC 6154 §2 special-use attributes.
    static const QList<StandardFolder> folders{
        {u"INBOX"_s, u""_s},        {u"Drafts"_s, u"\\Drafts"_s}, {u"Sent"_s, u"\\Sent"_s},
        {u"Trash"_s, u"\\Trash"_s}, {u"Spam"_s, u"\\Junk"_s},     {u"Archive"_s, u"\\Archive"_s},
    };
    return folders;
}

Status MailStore::ensureStandardFolders(qint64 mailboxId) const
{
    return MailIndex(m_database).ensureFolders(mailboxId, standardFolders());
}

Result<CommitJob> MailStore::prepare(const QList<Delivery>& deliveries, const QString& sourcePath,
                                     const QDateTime& internalDate) const
{
    CommitJob job;
    if (deliveries.isEmpty())
        return job;
    MessageFileWriter writer;
    if (const Status opened = writer.open(sourcePath); !opened)
        return opened.error();
    // Check every copy before the first side effect: a bad call creates no folder and no file.
    QStringList mailboxDirectories;
    for (const Delivery& delivery : deliveries)
    {
        if (delivery.folder.isEmpty())
            return Error::invalid(u"folder"_s, u"a folder name is required"_s);
        if (delivery.sourceOffset < 0 || delivery.sourceOffset > writer.sourceSize())
            return Error::invalid(
                u"source_offset"_s,
                u"offset %1 lies outside the message (%2 bytes)"_s.arg(delivery.sourceOffset).arg(writer.sourceSize()));
        const auto directory = MaildirLayout::mailboxDirectory(m_paths, delivery.domain, delivery.localPart);
        if (!directory)
            return directory.error();
        mailboxDirectories.append(*directory);
    }

    const qint64 date = internalDate.isValid() ? internalDate.toSecsSinceEpoch() : QDateTime::currentSecsSinceEpoch();
    const MailIndex index(m_database);
    QSet<qint64> mailboxesReady;
    QList<MessageFile> messages;
    // Any failure takes back every file this call wrote: the copies of one message go together.
    auto fail = [&job](const Error& error) -> Result<CommitJob>
    {
        removeFiles(job.files);
        return error;
    };
    for (qsizetype i = 0; i < deliveries.size(); ++i)
    {
        const Delivery& delivery = deliveries[i];
        // The folder row is made now, outside the commit: its id names the directory the file
        // goes to, and an empty folder left behind by a failed delivery is harmless.
        if (!mailboxesReady.contains(delivery.mailboxId))
        {
            if (const Status ensured = ensureStandardFolders(delivery.mailboxId); !ensured)
                return fail(ensured.error());
            mailboxesReady.insert(delivery.mailboxId);
        }
        const auto folderId = index.ensureFolder(delivery.mailboxId, canonicalFolderName(delivery.folder));
        if (!folderId)
            return fail(folderId.error());
        if (const Status made = MaildirLayout::createFolder(m_paths, mailboxDirectories[i], *folderId); !made)
            return fail(made.error());

        const QString folderDirectory = MaildirLayout::folderDirectory(mailboxDirectories[i], *folderId);
        const auto written = writer.write(folderDirectory + u"/tmp"_s, delivery.prefix, delivery.sourceOffset);
        if (!written)
            return fail(written.error());
        job.files.append({folderDirectory + u"/tmp/"_s + written->name, folderDirectory + u"/new/"_s + written->name});
        messages.append({delivery.mailboxId, *folderId, MaildirLayout::relativeFile(*folderId, u"new"_s, written->name),
                         written->size, date, delivery.messageId});
    }

    // Runs in the committer's thread, in this job's savepoint, after the files are in new/.
    job.rows = [messages](const Database& database) -> Status
    {
        const MailIndex rows(database);
        for (const MessageFile& message : messages)
        {
            if (const auto added = rows.addMessage(message); !added)
                return added.error();
        }
        return {};
    };
    return job;
}

Result<MailboxUsage> MailStore::usage(qint64 mailboxId) const
{
    auto query = m_database.run(u"SELECT bytes, messages, warned_percent FROM mailbox_usage WHERE mailbox_id = ?"_s,
                                {mailboxId});
    if (!query)
        return query.error();
    MailboxUsage usage;
    if (query->next())
    {
        usage.bytes = query->value(0).toLongLong();
        usage.messages = query->value(1).toLongLong();
        usage.warnedPercent = query->value(2).toInt();
    }
    return usage;
}

Status MailStore::setWarnedPercent(qint64 mailboxId, int percent) const
{
    const auto updated =
        m_database.run(u"INSERT INTO mailbox_usage (mailbox_id, warned_percent) VALUES (?, ?) "
                       "ON CONFLICT (mailbox_id) DO UPDATE SET warned_percent = excluded.warned_percent"_s,
                       {mailboxId, percent});
    if (!updated)
    {
        if (updated.error().code == ErrorCode::Conflict)
            return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
        return updated.error();
    }
    return {};
}

Status MailStore::recover() const
{
    return MaildirRecovery(m_database, m_paths).run();
}

} // namespace promail
