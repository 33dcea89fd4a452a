#pragma once

#include <QObject>

#include <QString>
#include <QTimer>
#include <functional>

#include <chrono>

class QSocketNotifier;
class QSslSocket;

namespace promail
{

class TlsContext;

// Implicit TLS (SMTPS 465, IMAPS 993, POP3S 995; RFC 8314 §3): the certificate depends on the
// SNI name (RFC 6066 §3), which QSslSocket only learns inside the handshake. So the acceptor
// peeks (recv MSG_PEEK) at the ClientHello first, picks TlsContext::configurationFor(name),
// then lets QSslSocket handshake on the descriptor. Create it in the worker thread that will
// own the session; it deletes itself once it has emitted ready() or failed().
class TlsAcceptor : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsAcceptor)

public:
    // The context must outlive the acceptor. timeout bounds the ClientHello and the handshake.
    TlsAcceptor(qintptr descriptor, const TlsContext* context, std::chrono::milliseconds timeout,
                QObject* parent = nullptr);
    ~TlsAcceptor() override;

    void start();

    // STARTTLS / STLS (RFC 3207 §4.2, RFC 2595 §4, RFC 9051 §6.2.1): hands the connection of a
    // plain socket to an acceptor on its own copy of the descriptor, so the certificate follows
    // SNI, and drops the plain socket with anything buffered in it (pipelined input must not
    // survive the upgrade). `ready` receives the encrypted socket, parented to `owner`; `failed`
    // runs when the handshake does not complete. Both run in `owner`'s thread.
    static void upgrade(QSslSocket* plainSocket, const TlsContext* context, QObject* owner,
                        std::function<void(QSslSocket*)> ready, std::function<void()> failed);

Q_SIGNALS:
    // The handshake is done. The socket's parent is the acceptor's parent; the receiver may
    // reparent it. serverName is "" without SNI.
    void ready(QSslSocket* socket, const QString& serverName);
    // The descriptor has been closed.
    void failed(const QString& reason);

private:
    void peek();
    void startHandshake(const QString& serverName);
    void fail(const QString& reason);

    qintptr m_descriptor;
    const TlsContext* m_context;
    std::chrono::milliseconds m_timeout;
    QSocketNotifier* m_notifier = nullptr;
    QSslSocket* m_socket = nullptr;
    QString m_serverName;
    QTimer m_deadline;
    QTimer m_retry;
    bool m_done = false;
};

} // namespace promail
