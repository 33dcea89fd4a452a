#include "protocollisteners.h"

#include "core/logging.h"
#include "net/listener.h"
#include "net/tlsacceptor.h"
#include "net/workerpool.h"
#include "protocols/smtp/smtpsession.h"

#include <QSslSocket>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

namespace
{
const QStringList kServed{u"smtp"_s, u"submission"_s, u"submissions"_s};
}

ProtocolListeners::ProtocolListeners(WorkerPool& workers, const TlsContext& tls, const ProtocolServices& smtp,
                                     QObject* parent)
    : QObject(parent), m_workers(workers), m_tls(tls), m_smtp(smtp)
{
}

QStringList ProtocolListeners::unservedServices(const ServerConfig& config)
{
    QStringList unserved;
    for (auto it = config.listen.cbegin(); it != config.listen.cend(); ++it)
    {
        if (!kServed.contains(it.key()) && it.key() != u"admin")
            unserved.append(it.key());
    }
    return unserved;
}

Status ProtocolListeners::listen(const ServerConfig& config)
{
    const QList<std::pair<QString, SmtpMode>> smtp{
        {u"smtp"_s, SmtpMode::Mta}, {u"submission"_s, SmtpMode::Submission}, {u"submissions"_s, SmtpMode::Submissions}};
    for (const auto& [service, mode] : smtp)
    {
        if (const Status status = listenSmtp(service, mode, config.listen.value(service)); !status)
            return status;
    }
    return {};
}

Status ProtocolListeners::listenSmtp(const QString& service, SmtpMode mode, const QList<ListenAddress>& addresses)
{
    for (const ListenAddress& address : addresses)
    {
        const ProtocolServices* services = &m_smtp;
        const TlsContext* tls = &m_tls;
        Listener::ConnectionFactory factory;
        if (mode == SmtpMode::Submissions)
        {
            // RFC 8314 §3: implicit TLS from the first byte; the certificate follows SNI.
            factory = [services, tls](qintptr descriptor, QObject* worker)
            {
                auto* acceptor = new TlsAcceptor(descriptor, tls, 30s, worker);
                QObject::connect(acceptor, &TlsAcceptor::ready, worker,
                                 [services, worker](QSslSocket* socket, const QString&) {
                                     (new SmtpSession(socket, SmtpMode::Submissions, *services, true, worker))->start();
                                 });
                acceptor->start();
            };
        }
        else
        {
            factory = [services, mode](qintptr descriptor, QObject* worker)
            {
                auto* socket = new QSslSocket(worker);
                if (!socket->setSocketDescriptor(descriptor))
                {
                    ::close(int(descriptor));
                    delete socket;
                    return;
                }
                (new SmtpSession(socket, mode, *services, false, worker))->start();
            };
        }
        auto* listener = new Listener(&m_workers, QHostAddress(address.host), address.port, factory, this);
        if (const Status status = listener->listen(); !status)
            return Error::invalid(u"listen."_s + service, u"[listen] %1: %2"_s.arg(service, status.error().message));
        m_listeners.append(listener);
        qCInfo(lcNet).noquote() << service << "listening on" << address.toString();
    }
    return {};
}

void ProtocolListeners::close()
{
    for (Listener* listener : std::as_const(m_listeners))
        listener->close();
}

} // namespace promail
