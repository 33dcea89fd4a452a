#include "protocols/auth/authenticator.h"

#include "directory/mailboxstore.h"
#include "policy/loginbans.h"

#include <QPointer>
#include <QThread>
#include <QThreadPool>

namespace promail
{

namespace
{
// The threads never expire: each keeps its own database connection for the life of the process.
QThreadPool& passwordThreads()
{
    static QThreadPool* pool = []
    {
        auto* threads = new QThreadPool;
        threads->setExpiryTimeout(-1);
        threads->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        return threads;
    }();
    return *pool;
}
} // namespace

void Authenticator::verify(const DirectoryContext& directory, LoginBans* bans, const QHostAddress& client,
                           const QString& service, const QString& user, const QString& password,
                           std::function<bool(const Mailbox&)> allowed, QObject* session,
                           std::function<void(Outcome, const Mailbox&)> done)
{
    QPointer<QObject> guard(session);
    // The answer is posted to the session's parent (the worker's context object), which lives
    // in the same thread and outlives every session there; `guard` is only read in that thread.
    QObject* context = session->parent() ? session->parent() : session;
    const DirectoryContext* directoryPtr = &directory;
    passwordThreads().start(
        [=]
        {
            const auto result = MailboxStore(*directoryPtr).authenticate(user, password);
            QMetaObject::invokeMethod(
                context,
                [=]
                {
                    if (!guard)
                        return;
                    if (result && allowed(*result))
                    {
                        done(Outcome::Success, *result);
                        return;
                    }
                    const bool banned = bans && bans->recordFailure(client, service);
                    done(banned ? Outcome::Banned : Outcome::Failure, Mailbox{});
                },
                Qt::QueuedConnection);
        });
}

} // namespace promail
