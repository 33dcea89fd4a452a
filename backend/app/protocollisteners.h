#pragma once

#include "core/result.h"
#include "core/serverconfig.h"
#include "net/listener.h"
#include "protocols/protocolservices.h"

#include <QList>
#include <QObject>

namespace promail
{

class TlsContext;
class WorkerPool;

// The listening sockets of the mail protocols ([listen] in promaild.conf). They are bound
// before privileges are dropped (ports below 1024) and dispatch each connection to a worker
// thread, where its session is created; serving starts when the event loop runs.
class ProtocolListeners : public QObject
{
    Q_OBJECT

public:
    ProtocolListeners(WorkerPool& workers, const TlsContext& tls, const ProtocolServices& services,
                      QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProtocolListeners)

    // Binds every configured address of the services this build serves; the first failure is
    // returned and names the service and address.
    Status listen(const ServerConfig& config);
    void close();

    // The services of [listen] that this build does not serve yet.
    static QStringList unservedServices(const ServerConfig& config);

private:
    Status listenService(const QString& service, const QList<ListenAddress>& addresses,
                         const Listener::ConnectionFactory& factory);

    WorkerPool& m_workers;
    const TlsContext& m_tls;
    const ProtocolServices& m_services;
    QList<Listener*> m_listeners;
};

} // namespace promail
