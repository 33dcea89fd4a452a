#include "net/tlsacceptor.h"

#include "net/clienthello.h"
#include "net/tlscontext.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

#include <QByteArray>
#include <QSocketNotifier>
#include <QSslSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

namespace
{
// While a ClientHello is incomplete its bytes stay queued (we only peek), so a level-triggered
// read notifier would fire without pause; poll at this interval instead.
constexpr auto kRetryInterval = 20ms;
} // namespace

TlsAcceptor::TlsAcceptor(qintptr descriptor, const TlsContext* context, std::chrono::milliseconds timeout,
                         QObject* parent)
    : QObject(parent), m_descriptor(descriptor), m_context(context), m_timeout(timeout)
{
    m_deadline.setSingleShot(true);
    m_retry.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this]() { fail(u"no TLS handshake within the time limit"_s); });
    connect(&m_retry, &QTimer::timeout, this, &TlsAcceptor::peek);
}

TlsAcceptor::~TlsAcceptor()
{
    // Destroyed before the handshake finished (e.g. the worker stopped): m_socket, a child,
    // goes with us; a descriptor nobody adopted yet is closed here.
    if (m_descriptor >= 0)
        ::close(static_cast<int>(m_descriptor));
}

void TlsAcceptor::start()
{
    m_deadline.start(m_timeout);
    m_notifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TlsAcceptor::peek);
}

void TlsAcceptor::peek()
{
    if (m_done || m_descriptor < 0)
        return;
    QByteArray buffer(kMaxClientHelloBytes, Qt::Uninitialized);
    const ssize_t n = ::recv(static_cast<int>(m_descriptor), buffer.data(), static_cast<size_t>(buffer.size()),
                             MSG_PEEK | MSG_DONTWAIT);
    if (n < 0)
    {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail(u"cannot read the TLS ClientHello: "_s + QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    if (n == 0)
    {
        fail(u"connection closed before the TLS ClientHello"_s);
        return;
    }

    const ClientHelloPeek hello = inspectClientHello(QByteArrayView(buffer.constData(), n));
    switch (hello.state)
    {
    case ClientHelloPeek::State::Complete:
        startHandshake(hello.serverName.value_or(QString()));
        return;
    case ClientHelloPeek::State::Invalid:
        fail(u"not a TLS ClientHello"_s);
        return;
    case ClientHelloPeek::State::NeedMore:
        if (n >= kMaxClientHelloBytes)
        {
            fail(u"TLS ClientHello larger than 16 KiB"_s);
            return;
        }
        m_notifier->setEnabled(false);
        m_retry.start(kRetryInterval);
        return;
    }
}

void TlsAcceptor::startHandshake(const QString& serverName)
{
    m_retry.stop();
    // QSslSocket installs its own notifier on the descriptor; ours must be gone from the dispatcher.
    m_notifier->setEnabled(false);
    m_notifier->deleteLater();
    m_notifier = nullptr;

    m_serverName = serverName;
    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(m_context->configurationFor(serverName));
    if (!m_socket->setSocketDescriptor(m_descriptor))
    {
        fail(u"cannot adopt the connection: "_s + m_socket->errorString());
        return;
    }
    m_descriptor = -1; // the socket owns it now
    connect(m_socket, &QSslSocket::errorOccurred, this, [this]() { fail(m_socket->errorString()); });
    connect(m_socket, &QSslSocket::encrypted, this,
            [this]()
            {
                m_done = true;
                m_deadline.stop();
                disconnect(m_socket, nullptr, this, nullptr);
                QSslSocket* socket = std::exchange(m_socket, nullptr);
                socket->setParent(parent());
                Q_EMIT ready(socket, m_serverName);
                deleteLater();
            });
    m_socket->startServerEncryption();
}

void TlsAcceptor::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    m_retry.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_socket)
    {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
    else if (m_descriptor >= 0)
    {
        ::close(static_cast<int>(m_descriptor));
        m_descriptor = -1;
    }
    Q_EMIT failed(reason);
    deleteLater();
}

void TlsAcceptor::upgrade(QSslSocket* plainSocket, const TlsContext* context, QObject* owner,
                          std::function<void(QSslSocket*)> ready, std::function<void()> failed)
{
    plainSocket->flush();
    const int descriptor = ::dup(int(plainSocket->socketDescriptor()));
    plainSocket->disconnect(owner);
    plainSocket->abort();
    plainSocket->deleteLater();
    if (descriptor < 0)
    {
        QMetaObject::invokeMethod(owner, failed, Qt::QueuedConnection);
        return;
    }
    using namespace std::chrono_literals;
    auto* acceptor = new TlsAcceptor(descriptor, context, 30s, owner);
    connect(acceptor, &TlsAcceptor::ready, owner, [ready](QSslSocket* socket, const QString&) { ready(socket); });
    connect(acceptor, &TlsAcceptor::failed, owner, [failed](const QString&) { failed(); });
    acceptor->start();
}

} // namespace promail
