#pragma once

#include "core/result.h"

#include <QList>
#include <QString>

namespace promail
{

class Database;

enum class SpamVerdict
{
    None,
    Spam,
    Ham,
};

// One thing the user taught the spam filter by moving a message (issue 4 "Spam training events").
struct SpamTrainingEvent
{
    qint64 id = 0;
    qint64 mailboxId = 0;
    QString messageFile; // relative to the mailbox directory, as in messages.file
    QString messageId;
    SpamVerdict verdict = SpamVerdict::None;
    qint64 createdAt = 0;
};

// Durable spam/ham events for the spam filter to learn from later: written when a message goes
// into \Junk (spam) or leaves it for anything but \Trash (ham), read and consumed by the filter.
// Thread-safe like MailStore.
class SpamTraining
{
public:
    explicit SpamTraining(const Database& database);

    // The verdict a move from a folder with special use `from` to one with `to` (RFC 6154
    // attributes, "" for none) teaches: into \Junk is spam; out of \Junk, except into \Trash, is
    // ham (seed 001: "move it out to the Inbox and the server will unlearn accordingly").
    static SpamVerdict classifyMove(const QString& fromSpecialUse, const QString& toSpecialUse);

    static QString verdictName(SpamVerdict verdict); // "spam", "ham", "" for None

    // Stores one event in its own transaction; SQLite runs with synchronous=FULL, so a success
    // means the event is on disk. `verdict` must not be None.
    Result<qint64> record(qint64 mailboxId, const QString& messageFile, const QString& messageId,
                          SpamVerdict verdict) const;

    // The same insert on `database` inside the caller's transaction (a CommitJob's rows), so the
    // event commits together with the move that caused it.
    static Result<qint64> recordIn(const Database& database, qint64 mailboxId, const QString& messageFile,
                                   const QString& messageId, SpamVerdict verdict);

    // Events not consumed yet, oldest first, at most `limit`.
    Result<QList<SpamTrainingEvent>> pending(int limit) const;

    // Marks events as learnt; ids that do not exist or were consumed already are skipped.
    Status consume(const QList<qint64>& ids) const;

private:
    const Database& m_database;
};

} // namespace promail
