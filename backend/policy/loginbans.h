#pragma once

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QString>

#include <functional>

namespace promail
{

class SettingsStore;

struct LoginBan
{
    QString address; // the client IP, as QHostAddress::toString() gives it
    QString service; // where the failure that caused the ban happened: "smtp", "imap", ...
    int failures = 0;
    QDateTime bannedAt;
    QDateTime expiresAt;
};

// The failed-login ban list shared by SMTP, IMAP, POP3, ManageSieve and the admin API
// (ARCHITECTURE.md "policy/"). Failures are counted per client IP within the window of the
// setting auth.failure_window; auth.max_failures of them ban the IP for auth.ban_duration.
// Thread-safe; kept in memory (a restart lifts bans, like fail2ban without persistence).
class LoginBans
{
public:
    // `clock` gives the current time (UTC); tests pass a fake one. Empty: the system clock.
    explicit LoginBans(const SettingsStore& settings, std::function<QDateTime()> clock = {});

    bool isBanned(const QHostAddress& client) const;
    // Counts one failed login; returns true when this failure banned the client.
    bool recordFailure(const QHostAddress& client, const QString& service);
    // A successful login does not clear earlier failures (a guesser may know one password).

    QList<LoginBan> bans() const;      // active bans, oldest first
    bool lift(const QString& address); // false when that address was not banned

private:
    struct Failures
    {
        QList<QDateTime> times;
    };

    void expire(const QDateTime& now) const;
    // Drops the failures of `key` at or before `cutoff` (the start of the window).
    void pruneFailures(const QString& key, const QDateTime& cutoff) const;

    const SettingsStore& m_settings;
    std::function<QDateTime()> m_clock;
    mutable QMutex m_mutex;
    mutable QHash<QString, Failures> m_failures;
    mutable QHash<QString, LoginBan> m_bans;
    mutable QDateTime m_lastSweep; // when expire() last ran over every address
};

} // namespace promail
