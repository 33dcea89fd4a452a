#pragma once

#include <QtGlobal>

namespace promail
{

// RFC 1939 §8: a POP3 session has its maildrop to itself from login to the end of the session,
// so two clients cannot delete and renumber under each other. The registry is per process and
// thread-safe (sessions live in different worker threads); with several nodes on one database,
// each node excludes only its own sessions.
class MaildropLock
{
public:
    MaildropLock() = default;
    ~MaildropLock() { release(); }
    Q_DISABLE_COPY_MOVE(MaildropLock)

    // False when another session holds the mailbox's maildrop.
    bool acquire(qint64 mailboxId);
    void release();
    bool isHeld() const { return m_mailboxId != 0; }

    static bool isLocked(qint64 mailboxId);

private:
    qint64 m_mailboxId = 0;
};

} // namespace promail
