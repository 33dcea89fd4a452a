#include "mailstore/maildirlayout.h"

#include "storage/durablecommitter.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <QSysInfo>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
bool isSafeSegment(const QString& segment)
{
    return !segment.isEmpty() && segment != u"."_s && segment != u".."_s && !segment.contains(u'/') &&
           !segment.contains(QChar(0));
}

// mkdir that tolerates an existing directory; a new one is synced into its parent.
Status makeLevel(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) == 0)
        return syncPath(QFileInfo(path).absolutePath(), false);
    if (errno != EEXIST)
        return fileSystemError(u"cannot create directory"_s, path, errno);
    struct stat st = {};
    if (::stat(native.constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return Error::internal(u"%1 exists but is not a directory"_s.arg(path));
    return {};
}

} // namespace

Error fileSystemError(const QString& what, const QString& path, int errorNumber)
{
    return Error{
        ErrorCode::Unavailable, u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errorNumber))), {}};
}

Result<QString> MaildirLayout::mailboxDirectory(const DataPaths& paths, const QString& domain, const QString& localPart)
{
    if (!isSafeSegment(domain))
        return Error::invalid(u"domain"_s, u"'%1' cannot name a mail directory"_s.arg(domain));
    if (!isSafeSegment(localPart))
        return Error::invalid(u"local_part"_s, u"'%1' cannot name a mail directory"_s.arg(localPart));
    return paths.mailboxDirectory(domain, localPart);
}

QString MaildirLayout::folderDirectory(const QString& mailboxDirectory, qint64 folderId)
{
    return mailboxDirectory + u'/' + QString::number(folderId);
}

QString MaildirLayout::relativeFile(qint64 folderId, const QString& subdirectory, const QString& name)
{
    return QString::number(folderId) + u'/' + subdirectory + u'/' + name;
}

Status MaildirLayout::createFolder(const DataPaths& paths, const QString& mailboxDirectory, qint64 folderId)
{
    const QString folder = folderDirectory(mailboxDirectory, folderId);
    QStringList levels{paths.mail()};
    QString path = paths.mail();
    const QStringList parts = folder.mid(paths.mail().size() + 1).split(u'/', Qt::SkipEmptyParts);
    for (const QString& part : parts)
    {
        path += u'/' + part;
        levels.append(path);
    }
    for (const QString& subdirectory : {u"tmp"_s, u"new"_s, u"cur"_s})
        levels.append(folder + u'/' + subdirectory);
    for (const QString& level : std::as_const(levels))
    {
        if (const Status made = makeLevel(level); !made)
            return made;
    }
    return {};
}

} // namespace promail
