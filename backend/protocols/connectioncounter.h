#pragma once

#include <QHash>
#include <QMutex>

#include <utility>

namespace promail
{

// Open sessions per mailbox across every worker thread, for a per-user connection limit
// (issue 4: imap.max_connections_per_user). A session holds a Lease while it is logged in.
class ConnectionCounter
{
public:
    class Lease
    {
    public:
        Lease() = default;
        ~Lease() { release(); }
        Lease(Lease&& other) noexcept : m_counter(std::exchange(other.m_counter, nullptr)), m_id(other.m_id) {}
        Lease& operator=(Lease&& other) noexcept
        {
            if (this != &other)
            {
                release();
                m_counter = std::exchange(other.m_counter, nullptr);
                m_id = other.m_id;
            }
            return *this;
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        bool isHeld() const { return m_counter != nullptr; }
        void release();

    private:
        friend class ConnectionCounter;
        Lease(ConnectionCounter* counter, qint64 id) : m_counter(counter), m_id(id) {}
        ConnectionCounter* m_counter = nullptr;
        qint64 m_id = 0;
    };

    // A lease when `id` has fewer than `maximum` sessions, else one that is not held.
    Lease acquire(qint64 id, int maximum);
    int count(qint64 id) const;

private:
    void release(qint64 id);

    mutable QMutex m_mutex;
    QHash<qint64, int> m_counts;
};

} // namespace promail
