#include "net/listener.h"

#include "core/serverconfig.h"
#include "net/workerpool.h"

#include <unistd.h>

#include <QMetaObject>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace promail
{

// QTcpServer would wrap each descriptor in a QTcpSocket in the accepting thread; overriding
// incomingConnection() keeps the raw descriptor so the socket is created in the worker.
class Listener::Server : public QTcpServer
{
public:
    explicit Server(Listener* listener) : m_listener(listener) {}

protected:
    void incomingConnection(qintptr descriptor) override { m_listener->dispatch(descriptor); }

private:
    Listener* m_listener;
};

namespace
{
// Closes the descriptor unless the factory ran: a queued call that is dropped (its worker
// stopped first) must not leak the connection.
class PendingDescriptor
{
public:
    explicit PendingDescriptor(qintptr descriptor) : m_descriptor(descriptor) {}
    ~PendingDescriptor()
    {
        if (m_descriptor >= 0)
            ::close(static_cast<int>(m_descriptor));
    }
    Q_DISABLE_COPY_MOVE(PendingDescriptor)

    qintptr take() { return std::exchange(m_descriptor, -1); }

private:
    qintptr m_descriptor;
};

} // namespace

Listener::Listener(WorkerPool* pool, const QHostAddress& address, quint16 port, ConnectionFactory factory,
                   QObject* parent)
    : QObject(parent), m_pool(pool), m_address(address), m_port(port), m_factory(std::move(factory)),
      m_server(std::make_unique<Server>(this))
{
}

Listener::~Listener() = default;

Status Listener::listen()
{
    if (m_server->isListening())
        return {};
    if (!m_server->listen(m_address, m_port))
    {
        return ApiError{ErrorCode::Unavailable,
                        u"cannot listen on "_s + ListenAddress{m_address.toString(), m_port}.toString() + u": "_s +
                            m_server->errorString(),
                        {}};
    }
    return {};
}

void Listener::close()
{
    m_server->close();
}

bool Listener::isListening() const
{
    return m_server->isListening();
}

QHostAddress Listener::serverAddress() const
{
    return m_server->isListening() ? m_server->serverAddress() : m_address;
}

quint16 Listener::serverPort() const
{
    return m_server->isListening() ? m_server->serverPort() : m_port;
}

void Listener::dispatch(qintptr descriptor)
{
    auto pending = std::make_shared<PendingDescriptor>(descriptor);
    QObject* worker = m_pool ? m_pool->nextWorker() : nullptr;
    if (!worker)
        return; // no worker to run the session: the connection is closed
    QMetaObject::invokeMethod(
        worker, [factory = m_factory, pending, worker]() { factory(pending->take(), worker); }, Qt::QueuedConnection);
}

} // namespace promail
