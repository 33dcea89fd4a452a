#include "policy/loginbans.h"

#include "core/settingdefinitions.h"
#include "policy/clientaddress.h"
#include "storage/settingsstore.h"

#include <QMutexLocker>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// A full sweep of stale entries runs at most this often; single addresses are pruned whenever
// they are touched, so the sweep only bounds the memory of addresses that never return.
constexpr qint64 kSweepIntervalSeconds = 60;

QString clientKey(const QHostAddress& client)
{
    return normalisedClientAddress(client).toString();
}
} // namespace

LoginBans::LoginBans(const SettingsStore& settings, std::function<QDateTime()> clock)
    : m_settings(settings), m_clock(clock ? std::move(clock) : [] { return QDateTime::currentDateTimeUtc(); })
{
}

bool LoginBans::isBanned(const QHostAddress& client) const
{
    if (client.isNull())
        return false;
    const QString key = clientKey(client);
    const QDateTime now = m_clock();
    QMutexLocker locker(&m_mutex);
    const auto it = m_bans.constFind(key);
    if (it == m_bans.constEnd())
        return false;
    if (it->expiresAt > now)
        return true;
    m_bans.erase(it);
    return false;
}

void LoginBans::pruneFailures(const QString& key, const QDateTime& cutoff) const
{
    const auto it = m_failures.find(key);
    if (it == m_failures.end())
        return;
    QList<QDateTime>& times = it->times;
    // Times are appended in order, so the stale ones are a prefix.
    const auto firstFresh = std::find_if(times.cbegin(), times.cend(), [&](const QDateTime& t) { return t > cutoff; });
    times.erase(times.cbegin(), firstFresh);
    if (times.isEmpty())
        m_failures.erase(it);
}

bool LoginBans::recordFailure(const QHostAddress& client, const QString& service)
{
    // Connections without an IP (the admin API's local socket) have nothing to ban.
    if (client.isNull())
        return false;
    const QString key = clientKey(client);
    // Read at every call, so an admin's change applies to the next failure.
    const qint64 window = m_settings.intValue(settingkeys::kAuthFailureWindow);
    const qint64 maxFailures = m_settings.intValue(settingkeys::kAuthMaxFailures);
    const qint64 banDuration = m_settings.intValue(settingkeys::kAuthBanDuration);
    const QDateTime now = m_clock();

    QMutexLocker locker(&m_mutex);
    // Negative when the system clock was set back: sweep then too.
    const qint64 sinceSweep = m_lastSweep.isValid() ? m_lastSweep.secsTo(now) : -1;
    if (sinceSweep < 0 || sinceSweep >= kSweepIntervalSeconds)
        expire(now);
    if (const auto ban = m_bans.constFind(key); ban != m_bans.constEnd())
    {
        if (ban->expiresAt > now)
            return false; // already banned: a session that was open before the ban
        m_bans.erase(ban);
    }
    pruneFailures(key, now.addSecs(-window));
    QList<QDateTime>& times = m_failures[key].times;
    times.append(now);
    if (times.size() < maxFailures)
        return false;
    m_bans.insert(key, LoginBan{key, service, int(times.size()), now, now.addSecs(banDuration)});
    m_failures.remove(key);
    return true;
}

void LoginBans::expire(const QDateTime& now) const
{
    m_lastSweep = now;
    for (auto it = m_bans.begin(); it != m_bans.end();)
        it = it->expiresAt > now ? std::next(it) : m_bans.erase(it);
    const QDateTime cutoff = now.addSecs(-m_settings.intValue(settingkeys::kAuthFailureWindow));
    for (auto it = m_failures.begin(); it != m_failures.end();)
        it = !it->times.isEmpty() && it->times.last() > cutoff ? std::next(it) : m_failures.erase(it);
}

QList<LoginBan> LoginBans::bans() const
{
    const QDateTime now = m_clock();
    QList<LoginBan> result;
    {
        QMutexLocker locker(&m_mutex);
        expire(now);
        result = m_bans.values();
    }
    std::sort(result.begin(), result.end(),
              [](const LoginBan& a, const LoginBan& b)
              { return a.bannedAt != b.bannedAt ? a.bannedAt < b.bannedAt : a.address < b.address; });
    return result;
}

bool LoginBans::lift(const QString& address)
{
    const QHostAddress parsed(address.trimmed());
    const QString key = parsed.isNull() ? address.trimmed() : clientKey(parsed);
    const QDateTime now = m_clock();
    QMutexLocker locker(&m_mutex);
    m_failures.remove(key);
    const auto it = m_bans.constFind(key);
    if (it == m_bans.constEnd())
        return false;
    const bool active = it->expiresAt > now;
    m_bans.erase(it);
    return active;
}

} // namespace promail
