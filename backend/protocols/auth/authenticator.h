#pragma once

#include "core/result.h"
#include "directory/directorytypes.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

namespace promail
{

class LoginBans;
struct DirectoryContext;

// Password logins of every mail protocol: the check (argon2id, ~50 ms) runs on a small pool of
// long-lived threads, never on a session's event loop, and failures feed the shared ban list.
class Authenticator
{
public:
    enum class Outcome
    {
        Success,
        Failure, // wrong user, password, inactive mailbox or protocol not allowed
        Banned,  // this failure (or an earlier one) banned the client address
    };

    // Checks `user`/`password`; `allowed` decides whether the mailbox may use the protocol.
    // `done` runs in `session`'s thread, and not at all if the session is gone by then.
    static void verify(const DirectoryContext& directory, LoginBans* bans, const QHostAddress& client,
                       const QString& service, const QString& user, const QString& password,
                       std::function<bool(const Mailbox&)> allowed, QObject* session,
                       std::function<void(Outcome, const Mailbox&)> done);
};

} // namespace promail
