#include "protocollisteners.h"

#include "core/logging.h"
#include "net/tlsacceptor.h"
#include "net/workerpool.h"
#include "protocols/imap/imapsession.h"
#include "protocols/pop3/pop3session.h"
#include "protocols/smtp/smtpsession.h"

#include <QSslSocket>

#include <functional>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

namespace
{
const QStringList kServed{u"imap"_s, u"imaps"_s, u"pop3"_s, u"pop3s"_s, u"smtp"_s, u"submission"_s, u"submissions"_s};

// Creates and starts the session of one connection, in the worker's thread; `tls` for implicit TLS.
using SessionStarter = std::function<void(QSslSocket* socket, bool tls, QObject* worker)>;

Listener::ConnectionFactory connectionFactory(const TlsContext* tls, bool implicitTls, SessionStarter startSession)
{
    if (implicitTls)
    {
        // RFC 8314 §3: implicit TLS from the first byte; the certificate follows SNI.
        return [tls, startSession](qintptr descriptor, QObject* worker)
        {
            auto* acceptor = new TlsAcceptor(descriptor, tls, 30s, worker);
            QObject::connect(acceptor, &TlsAcceptor::ready, worker,
                             [startSession, worker](QSslSocket* socket, const QString&)
                             { startSession(socket, true, worker); });
            acceptor->start();
        };
    }
    return [startSession](qintptr descriptor, QObject* worker)
    {
        auto* socket = new QSslSocket(worker);
        if (!socket->setSocketDescriptor(descriptor))
        {
            ::close(int(descriptor));
            delete socket;
            return;
        }
        startSession(socket, false, worker);
    };
}
} // namespace

ProtocolListeners::ProtocolListeners(WorkerPool& workers, const TlsContext& tls, const ProtocolServices& services,
                                     QObject* parent)
    : QObject(parent), m_workers(workers), m_tls(tls), m_services(services)
{
}

QStringList ProtocolListeners::unservedServices(const ServerConfig& config)
{
    QStringList unserved;
    for (auto it = config.listen.cbegin(); it != config.listen.cend(); ++it)
    {
        if (!kServed.contains(it.key()))
            unserved.append(it.key());
    }
    return unserved;
}

Status ProtocolListeners::listen(const ServerConfig& config)
{
    const ProtocolServices* services = &m_services;
    const QList<std::pair<QString, SmtpMode>> smtp{
        {u"smtp"_s, SmtpMode::Mta}, {u"submission"_s, SmtpMode::Submission}, {u"submissions"_s, SmtpMode::Submissions}};
    for (const auto& [service, mode] : smtp)
    {
        const SmtpMode smtpMode = mode;
        const auto factory = connectionFactory(&m_tls, mode == SmtpMode::Submissions,
                                               [services, smtpMode](QSslSocket* socket, bool tls, QObject* worker) {
                                                   (new SmtpSession(socket, smtpMode, *services, tls, worker))->start();
                                               });
        if (const Status status = listenService(service, config.listen.value(service), factory); !status)
            return status;
    }
    // RFC 2595 §4: pop3 starts in clear text and offers STLS; pop3s is implicit TLS (RFC 8314 §3).
    for (const QString& service : {u"pop3"_s, u"pop3s"_s})
    {
        const auto factory = connectionFactory(&m_tls, service == u"pop3s"_s,
                                               [services](QSslSocket* socket, bool tls, QObject* worker)
                                               { (new Pop3Session(socket, *services, tls, worker))->start(); });
        if (const Status status = listenService(service, config.listen.value(service), factory); !status)
            return status;
    }
    // RFC 9051 §6.2.1: imap starts in clear text and offers STARTTLS; imaps is implicit TLS (RFC 8314 §3).
    for (const QString& service : {u"imap"_s, u"imaps"_s})
    {
        const auto factory = connectionFactory(&m_tls, service == u"imaps"_s,
                                               [services](QSslSocket* socket, bool tls, QObject* worker)
                                               { (new ImapSession(socket, *services, tls, worker))->start(); });
        if (const Status status = listenService(service, config.listen.value(service), factory); !status)
            return status;
    }
    return {};
}

Status ProtocolListeners::listenService(const QString& service, const QList<ListenAddress>& addresses,
                                        const Listener::ConnectionFactory& factory)
{
    for (const ListenAddress& address : addresses)
    {
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
