#include "mailstore/spamtraining.h"

#include "storage/database.h"

#include <QDateTime>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 6154 §2: the \Junk attribute marks the folder of messages judged to be spam.
const QString kJunk = u"\\Junk"_s;
const QString kTrash = u"\\Trash"_s;
} // namespace

SpamTraining::SpamTraining(const Database& database) : m_database(database)
{
}

SpamVerdict SpamTraining::classifyMove(const QString& fromSpecialUse, const QString& toSpecialUse)
{
    // Special-use attributes are atoms, compared without regard to case like IMAP flags.
    const bool fromJunk = fromSpecialUse.compare(kJunk, Qt::CaseInsensitive) == 0;
    const bool toJunk = toSpecialUse.compare(kJunk, Qt::CaseInsensitive) == 0;
    if (toJunk)
        return fromJunk ? SpamVerdict::None : SpamVerdict::Spam;
    // Deleting spam from the Junk folder is not a claim that it was good mail.
    if (fromJunk && toSpecialUse.compare(kTrash, Qt::CaseInsensitive) != 0)
        return SpamVerdict::Ham;
    return SpamVerdict::None;
}

QString SpamTraining::verdictName(SpamVerdict verdict)
{
    switch (verdict)
    {
    case SpamVerdict::Spam:
        return u"spam"_s;
    case SpamVerdict::Ham:
        return u"ham"_s;
    case SpamVerdict::None:
        break;
    }
    return {};
}

Result<qint64> SpamTraining::record(qint64 mailboxId, const QString& messageFile, const QString& messageId,
                                    SpamVerdict verdict) const
{
    return recordIn(m_database, mailboxId, messageFile, messageId, verdict);
}

Result<qint64> SpamTraining::recordIn(const Database& database, qint64 mailboxId, const QString& messageFile,
                                      const QString& messageId, SpamVerdict verdict)
{
    if (verdict == SpamVerdict::None)
        return Error::invalid(u"verdict"_s, u"a training event is either spam or ham"_s);
    if (messageFile.isEmpty() && messageId.isEmpty())
        return Error::invalid(u"message"_s, u"a training event names a message file or a Message-ID"_s);
    const auto inserted =
        database.run(u"INSERT INTO spam_training_events (mailbox_id, message_file, message_id, "
                     "verdict, created_at) VALUES (?, ?, ?, ?, ?)"_s,
                     {mailboxId, messageFile, messageId, verdictName(verdict), QDateTime::currentSecsSinceEpoch()});
    if (!inserted)
    {
        // The verdict is checked above, so the constraint left is the mailbox's foreign key.
        if (inserted.error().code == ErrorCode::Conflict)
            return Error::notFound(u"mailbox %1 does not exist"_s.arg(mailboxId));
        return inserted.error();
    }
    return inserted->lastInsertId().toLongLong();
}

Result<QList<SpamTrainingEvent>> SpamTraining::pending(int limit) const
{
    auto query = m_database.run(u"SELECT id, mailbox_id, message_file, message_id, verdict, created_at "
                                "FROM spam_training_events WHERE consumed = 0 ORDER BY id LIMIT ?"_s,
                                {qMax(limit, 0)});
    if (!query)
        return query.error();
    QList<SpamTrainingEvent> events;
    while (query->next())
    {
        const QString verdict = query->value(4).toString();
        events.append({query->value(0).toLongLong(), query->value(1).toLongLong(), query->value(2).toString(),
                       query->value(3).toString(), verdict == u"spam"_s ? SpamVerdict::Spam : SpamVerdict::Ham,
                       query->value(5).toLongLong()});
    }
    query->finish();
    return events;
}

Status SpamTraining::consume(const QList<qint64>& ids) const
{
    if (ids.isEmpty())
        return {};
    Transaction transaction(m_database);
    if (!transaction.started())
        return transaction.started();
    for (qint64 id : ids)
    {
        if (const auto updated = m_database.run(u"UPDATE spam_training_events SET consumed = 1 WHERE id = ?"_s, {id});
            !updated)
            return updated.error();
    }
    return transaction.commit();
}

} // namespace promail
