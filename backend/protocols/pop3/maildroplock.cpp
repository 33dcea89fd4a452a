#include "protocols/pop3/maildroplock.h"

#include <QMutex>
#include <QMutexLocker>
#include <QSet>

namespace promail
{

namespace
{
struct Registry
{
    QMutex mutex;
    QSet<qint64> locked;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}
} // namespace

bool MaildropLock::acquire(qint64 mailboxId)
{
    release();
    Registry& locks = registry();
    const QMutexLocker guard(&locks.mutex);
    if (locks.locked.contains(mailboxId))
        return false;
    locks.locked.insert(mailboxId);
    m_mailboxId = mailboxId;
    return true;
}

void MaildropLock::release()
{
    if (m_mailboxId == 0)
        return;
    Registry& locks = registry();
    const QMutexLocker guard(&locks.mutex);
    locks.locked.remove(m_mailboxId);
    m_mailboxId = 0;
}

bool MaildropLock::isLocked(qint64 mailboxId)
{
    Registry& locks = registry();
    const QMutexLocker guard(&locks.mutex);
    return locks.locked.contains(mailboxId);
}

} // namespace promail
