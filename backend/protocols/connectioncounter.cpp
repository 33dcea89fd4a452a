#include "protocols/connectioncounter.h"

namespace promail
{

void ConnectionCounter::Lease::release()
{
    if (m_counter)
        std::exchange(m_counter, nullptr)->release(m_id);
}

ConnectionCounter::Lease ConnectionCounter::acquire(qint64 id, int maximum)
{
    const QMutexLocker locker(&m_mutex);
    int& count = m_counts[id];
    if (count >= maximum)
    {
        if (count == 0)
            m_counts.remove(id);
        return {};
    }
    ++count;
    return Lease(this, id);
}

int ConnectionCounter::count(qint64 id) const
{
    const QMutexLocker locker(&m_mutex);
    return m_counts.value(id);
}

void ConnectionCounter::release(qint64 id)
{
    const QMutexLocker locker(&m_mutex);
    const auto it = m_counts.find(id);
    if (it != m_counts.end() && --it.value() <= 0)
        m_counts.erase(it);
}

} // namespace promail
