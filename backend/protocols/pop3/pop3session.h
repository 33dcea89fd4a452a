#pragma once

#include "directory/directorytypes.h"
#include "mailstore/messagefilereader.h"
#include "protocols/pop3/dotstuffer.h"
#include "protocols/pop3/maildroplock.h"
#include "protocols/pop3/pop3command.h"
#include "protocols/pop3/pop3maildrop.h"
#include "protocols/protocolservices.h"
#include "protocols/sasl/saslmechanism.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class QSslSocket;

namespace promail
{

Q_DECLARE_LOGGING_CATEGORY(lcPop3)

// One POP3 connection (RFC 1939), living its whole life in one worker thread. Commands are a
// table of small handlers (pop3authorization.cpp, pop3transaction.cpp); a handler may pause the
// session while it waits for a password check, the TLS handshake, a message being sent or the
// expunge at QUIT, and pipelined input (RFC 2449 §6.6) waits in the socket until it resumes.
class Pop3Session : public QObject
{
    Q_OBJECT

public:
    // RFC 2449 §4: a command line is at most 255 octets including its CRLF.
    static constexpr qsizetype kMaxCommandLine = 255 - 2;
    // SASL responses after "+ " carry base64 credentials, which may be longer (RFC 5034 §4).
    static constexpr qsizetype kMaxSaslLine = 4096;
    static constexpr qint64 kSocketBuffer = 64 * 1024;
    static constexpr qint64 kSendChunk = 64 * 1024;
    // Responses not yet taken by the client beyond which no further command is read.
    static constexpr qint64 kMaxWriteBacklog = 256 * 1024;

    // Takes ownership of the connected socket; `tlsActive` for implicit TLS (pop3s, RFC 8314).
    Pop3Session(QSslSocket* socket, const ProtocolServices& services, bool tlsActive, QObject* parent = nullptr);
    ~Pop3Session() override;
    Q_DISABLE_COPY_MOVE(Pop3Session)

    void start();

private:
    // RFC 1939 §3: the session states.
    enum class State
    {
        Authorization,
        Transaction,
        Update,
    };
    enum class Phase
    {
        Command,
        Auth,    // between "+ " challenges and the client's responses
        Paused,  // waiting for a password check, TLS or the expunge; input stays in the socket
        Sending, // a message is being sent; input stays in the socket
        Closed,
    };

    using Handler = void (Pop3Session::*)(const Pop3Command&);
    struct Command
    {
        QByteArrayView name;
        bool inAuthorization;
        bool inTransaction;
        Handler handler;
    };
    static const QList<Command>& commands();

    // I/O (pop3session.cpp)
    void attachSocket(QSslSocket* socket);
    void readInput();
    void process();
    void processLine(const QByteArray& line);
    void send(const QByteArray& bytes);
    qint64 writeBacklog() const;
    void writeProgressed();
    void ok(const QString& text);
    void okLines(const QString& text, const QList<QByteArray>& lines); // a multi-line response
    void err(const QString& text, bool countsAsError = true);
    void closeWith(const QByteArray& line);
    void restartTimer();
    void pause();
    void resume();

    // AUTHORIZATION state (pop3authorization.cpp), alphabetical as in commands()
    void auth(const Pop3Command& command);
    void capa(const Pop3Command& command);
    void pass(const Pop3Command& command);
    void stls(const Pop3Command& command);
    void user(const Pop3Command& command);
    bool loginAllowed();
    void continueAuth(const QByteArray& line);
    void finishAuth(SaslMechanism::Step step);
    void authenticateAsync(const QString& user, const QString& password);
    void openMaildrop(const Mailbox& mailbox);
    void switchToTls();

    // TRANSACTION and UPDATE states (pop3transaction.cpp)
    void dele(const Pop3Command& command);
    void list(const Pop3Command& command);
    void noop(const Pop3Command& command);
    void quit(const Pop3Command& command);
    void retr(const Pop3Command& command);
    void rset(const Pop3Command& command);
    void stat(const Pop3Command& command);
    void top(const Pop3Command& command);
    void uidl(const Pop3Command& command);
    std::optional<qint64> messageArgument(const Pop3Command& command, const QString& syntax);
    void sendMessage(qint64 number, qint64 bodyLines);
    void continueSending();
    void update();

    QSslSocket* m_socket = nullptr;
    const ProtocolServices& m_services;
    QHostAddress m_client;
    QByteArray m_input;
    State m_state = State::Authorization;
    Phase m_phase = Phase::Command;
    bool m_tls = false;
    bool m_discardLine = false; // the rest of an over-long line is being skipped
    int m_errors = 0;
    QByteArray m_userName; // from USER, until PASS
    std::unique_ptr<SaslMechanism> m_sasl;
    std::optional<Mailbox> m_mailbox;
    std::shared_ptr<MaildropLock> m_lock; // shared with the expunge at QUIT, which may outlive the session
    Pop3Maildrop m_maildrop;
    MessageFileReader m_reader; // the message being sent
    std::optional<DotStuffer> m_stuffer;
    QTimer m_timer;
};

} // namespace promail
