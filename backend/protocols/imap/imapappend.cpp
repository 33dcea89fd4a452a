// ImapSession: APPEND (RFC 9051 §6.3.12) with flags and internal date, answered with APPENDUID
// (RFC 4315 §3). The literal is written to the incoming directory (a large one as it arrives, so
// memory stays bounded), stored by MailStore and made durable by the group committer while the
// session waits without blocking its thread.
#include "directory/directorycontext.h"
#include "mailstore/flagstore.h"
#include "mailstore/maildirlayout.h"
#include "mailstore/mailstore.h"
#include "mailstore/messagecopier.h"
#include "protocols/imap/imapsession.h"

#include <algorithm>

#include <QFileInfo>
#include <QTemporaryFile>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §9 date-time: "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be " d"; invalid on error.
QDateTime parseDateTime(const QByteArray& text)
{
    if (text.size() != 26 || (text[21] != '+' && text[21] != '-'))
        return {};
    static const QByteArrayList months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int month = int(months.indexOf(text.mid(3, 3))) + 1;
    bool ok[7] = {};
    const int day = text.mid(0, 2).trimmed().toInt(&ok[0]);
    const int year = text.mid(7, 4).toInt(&ok[1]);
    const int hour = text.mid(12, 2).toInt(&ok[2]);
    const int minute = text.mid(15, 2).toInt(&ok[3]);
    const int second = text.mid(18, 2).toInt(&ok[4]);
    const int zoneHours = text.mid(22, 2).toInt(&ok[5]);
    const int zoneMinutes = text.mid(24, 2).toInt(&ok[6]);
    if (month == 0 || text[2] != '-' || text[6] != '-' || text[11] != ' ' || text[20] != ' ' ||
        std::find(std::begin(ok), std::end(ok), false) != std::end(ok))
        return {};
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return {};
    const int offset = (text[21] == '-' ? -1 : 1) * (zoneHours * 3600 + zoneMinutes * 60);
    return QDateTime(date, time, QTimeZone(offset));
}
} // namespace

bool ImapSession::spillAppend(QByteArrayView bytes, bool first)
{
    if (first)
    {
        m_appendHasNul = false;
        m_appendFile = std::make_unique<QTemporaryFile>(m_services.incomingDirectory + u"/imap-append-XXXXXX"_s);
        if (!m_appendFile->open())
        {
            qCWarning(lcImap).noquote() << "cannot create" << m_appendFile->fileName() << m_appendFile->errorString();
            m_appendFile.reset();
            return false;
        }
    }
    m_appendHasNul = m_appendHasNul || bytes.contains('\0');
    if (!m_appendFile || m_appendFile->write(bytes.data(), bytes.size()) != bytes.size())
    {
        if (m_appendFile)
            qCWarning(lcImap).noquote() << "cannot write" << m_appendFile->fileName() << m_appendFile->errorString();
        m_appendFile.reset();
        return false;
    }
    return true;
}

void ImapSession::append(Request& request)
{
    // A large message was written to the incoming directory while it arrived (spillAppend()); it
    // is removed with `spilled` unless it is stored.
    std::unique_ptr<QTemporaryFile> spilled = std::move(m_appendFile);
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    parser.space();
    QList<QByteArray> flags;
    if (parser.ok() && parser.cursor().next() == '(')
    {
        flags = parser.flagList();
        parser.space();
    }
    QDateTime internalDate;
    if (parser.ok() && parser.cursor().next() == '"')
    {
        internalDate = parseDateTime(parser.quoted());
        if (parser.ok() && !internalDate.isValid())
            parser.cursor().fail(u"an invalid date-time"_s);
        parser.space();
    }
    // RFC 3516 §4.3: a literal8 ("~{n}") may carry any octet, NUL included; a literal may not
    // (RFC 9051 §4.3 CHAR8).
    const bool literal8 = parser.present("~");
    QByteArray message;
    qint64 size = 0;
    bool hasNul = false;
    if (m_reader.literalSpilled())
    {
        size = parser.literalHeader();
        hasNul = m_appendHasNul;
    }
    else
    {
        message = parser.literal();
        size = message.size();
        hasNul = message.contains('\0');
    }
    if (!requireEnd(request))
        return;
    if (m_reader.literalSpilled() && (!spilled || m_reader.spillFailed() || !spilled->flush()))
    {
        no(request, "[UNAVAILABLE] Cannot store the message now; try again later"_ba);
        return;
    }
    if (!literal8 && hasNul)
    {
        bad(request.tag, "A message with NUL octets must be sent as a literal8 (~{n})"_ba);
        return;
    }
    for (const QByteArray& flag : std::as_const(flags))
    {
        // RFC 9051 §2.3.2: \Recent cannot be set by a client.
        if (flag.compare("\\Recent", Qt::CaseInsensitive) == 0)
        {
            bad(request.tag, "\\Recent cannot be set"_ba);
            return;
        }
    }
    // RFC 9051 §6.3.12: TRYCREATE tells the client that CREATE would help; RFC 4314 §4: "i" is needed.
    const auto target = access(request, name, "i", "[TRYCREATE] No such folder"_ba);
    if (!target)
        return;
    const FolderSummary* folder = &target->folder;
    // RFC 4314 §4: flags the user may not set are left off rather than refused.
    flags.removeIf([&target](const QByteArray& flag) { return !target->rights.has(flagRight(flag)); });
    // RFC 9208: a shared folder counts for its owner's quota.
    if (const Status allowed = checkMailboxQuota(m_services.directory->database, target->ownerId, size, 1); !allowed)
    {
        no(request, isOverQuota(allowed.error())
                        ? "[OVERQUOTA] The mailbox is over its "_ba + overQuotaResource(allowed.error()) + " quota"_ba
                        : "[SERVERBUG] Cannot store the message"_ba);
        return;
    }
    std::unique_ptr<QTemporaryFile> source = m_reader.literalSpilled() ? std::move(spilled) : nullptr;
    if (!source)
    {
        source = std::make_unique<QTemporaryFile>(m_services.incomingDirectory + u"/imap-append-XXXXXX"_s);
        if (!source->open() || source->write(message) != message.size() || !source->flush())
        {
            qCWarning(lcImap).noquote() << "cannot write" << source->fileName() << source->errorString();
            no(request, "[UNAVAILABLE] Cannot store the message now; try again later"_ba);
            return;
        }
    }
    Delivery delivery;
    delivery.mailboxId = target->ownerId;
    delivery.domain = target->ownerDomain;
    delivery.localPart = target->ownerLocalPart;
    delivery.folder = folder->name;
    auto job = m_services.store->prepare({delivery}, source->fileName(), internalDate);
    if (!job)
    {
        qCWarning(lcImap).noquote() << "cannot store:" << job.error().message;
        no(request, job.error().code == ErrorCode::Unavailable
                        ? "[UNAVAILABLE] Cannot store the message now; try again later"_ba
                        : "[SERVERBUG] Cannot store the message"_ba);
        return;
    }
    // The flags and the UID for APPENDUID come from the same transaction that adds the row.
    const QString file =
        MaildirLayout::relativeFile(folder->id, u"new"_s, QFileInfo(job->files.constFirst().finalPath).fileName());
    auto uid = std::make_shared<qint64>(0);
    job->rows = [rows = job->rows, folderId = folder->id, file, flags, uid](const Database& database) -> Status
    {
        if (const Status added = rows(database); !added)
            return added;
        const auto appended = FlagStore::setAppendedFlags(database, folderId, file, flags);
        if (!appended)
            return appended.error();
        *uid = *appended;
        return {};
    };
    pause();
    Request done;
    done.tag = request.tag;
    m_services.committer->submit(std::move(*job), this,
                                 [this, done, uid, uidValidity = folder->uidValidity](Status status)
                                 {
                                     if (m_phase == Phase::Closed)
                                         return;
                                     if (!status)
                                     {
                                         qCWarning(lcImap).noquote() << "cannot store:" << status.error().message;
                                         no(done, "[UNAVAILABLE] Cannot store the message now; try again later"_ba);
                                     }
                                     else
                                     {
                                         // RFC 9051 §6.3.12: the selected folder's new message is announced.
                                         synchronize(true);
                                         ok(done, "[APPENDUID "_ba + QByteArray::number(uidValidity) + ' ' +
                                                      QByteArray::number(*uid) + "] APPEND completed"_ba);
                                     }
                                     resume();
                                 });
}

} // namespace promail
