#pragma once

#include "core/result.h"
#include "core/serverconfig.h"
#include "protocols/protocolservices.h"
#include "protocols/smtp/smtpcapabilities.h"

#include <QList>
#include <QObject>

namespace promail
{

class Listener;
class TlsContext;
class WorkerPool;

// The listening sockets of the mail protocols ([listen] in promaild.conf). They are bound
// before privileges are dropped (ports below 1024) and dispatch each connection to a worker
// thread, where its session is created; serving starts when the event loop runs.
class ProtocolListeners : public QObject
{
    Q_OBJECT

public:
    ProtocolListeners(WorkerPool& workers, const TlsContext& tls, const ProtocolServices& smtp,
                      QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProtocolListeners)

    // Binds every configured address of the services this build serves; the first failure is
    // returned and names the service and address.
    Status listen(const ServerConfig& config);
    void close();

    // The services of [listen] that this build does not serve yet.
    static QStringList unservedServices(const ServerConfig& config);

private:
    Status listenSmtp(const QString& service, SmtpMode mode, const QList<ListenAddress>& addresses);

    WorkerPool& m_workers;
    const TlsContext& m_tls;
    const ProtocolServices& m_smtp;
    QList<Listener*> m_listeners;
};

} // namespace promail
