#pragma once

#include "directory/directorytypes.h"
#include "protocols/protocolservices.h"
#include "protocols/sasl/saslmechanism.h"
#include "protocols/smtp/datareader.h"
#include "protocols/smtp/smtpcapabilities.h"
#include "protocols/smtp/smtpreply.h"
#include "protocols/smtp/smtptransaction.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class QSslSocket;

namespace promail
{

class Cursor;

// One SMTP connection (RFC 5321), living its whole life in one worker thread. Commands are a
// table of small handlers (smtp*.cpp); a handler may pause the session while it waits for the
// disk or a password check, and pipelined input waits until it resumes (RFC 2920).
class SmtpSession : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype kMaxCommandLine = 4096;  // RFC 5321 §4.5.3.1.4 allows extensions to exceed 512
    static constexpr qsizetype kHeadBytes = 256 * 1024; // kept in memory for the header section
    static constexpr qint64 kSocketBuffer = 256 * 1024;

    // Takes ownership of the connected socket; `tlsActive` for implicit TLS (port 465).
    SmtpSession(QSslSocket* socket, SmtpMode mode, const ProtocolServices& services, bool tlsActive,
                QObject* parent = nullptr);
    ~SmtpSession() override;
    Q_DISABLE_COPY_MOVE(SmtpSession)

    void start();

private:
    enum class Phase
    {
        Command,
        Data,   // after 354, until <CRLF>.<CRLF>
        Bdat,   // reading a BDAT chunk
        Auth,   // between 334 challenges and the client's responses
        Paused, // waiting for the disk or a password check; input stays buffered
        Closed,
    };

    using Handler = void (SmtpSession::*)(Cursor&);
    struct Command
    {
        QByteArrayView name;
        Handler handler;
    };
    static const QList<Command>& commands();

    // I/O
    void attachSocket(QSslSocket* socket);
    void readInput();
    void process();
    void processLine(const QByteArray& line);
    void reply(const SmtpReply& reply);
    void reply(int code, const QByteArray& enhanced, const QString& text) { reply(SmtpReply(code, enhanced, text)); }
    void fail(int code, const QByteArray& enhanced, const QString& text); // a reply that counts as an error
    void closeWith(const SmtpReply& reply);
    void restartTimer();
    void pause();
    void resume();

    // Commands (alphabetical, as in commands())
    void auth(Cursor& cursor);
    void bdat(Cursor& cursor);
    void data(Cursor& cursor);
    void ehlo(Cursor& cursor);
    void helo(Cursor& cursor);
    void help(Cursor& cursor);
    void mail(Cursor& cursor);
    void noop(Cursor& cursor);
    void quit(Cursor& cursor);
    void rcpt(Cursor& cursor);
    void rset(Cursor& cursor);
    void starttls(Cursor& cursor);
    void vrfy(Cursor& cursor);

    // Helpers of the commands
    bool requireGreeting();
    QStringList ehloLines() const;
    bool openDataFile();
    void takeData(QByteArrayView bytes);
    void readBdatChunk();
    void finishData();
    void finishAuth(SaslMechanism::Step step);
    void authenticateAsync(const QString& user, const QString& password);
    void switchToTls();
    QByteArray receivedHeader() const;
    QString newTransactionId() const;
    bool isLocalDomain(const QString& domain) const;

    QSslSocket* m_socket = nullptr;
    SmtpMode m_mode;
    const ProtocolServices& m_services;
    QHostAddress m_client;
    QByteArray m_input;
    Phase m_phase = Phase::Command;
    Phase m_resumePhase = Phase::Command;
    bool m_tls = false;
    QString m_tlsDescription; // "TLSv1.3 TLS_AES_256_GCM_SHA384"
    QString m_heloName;
    bool m_esmtp = false;
    std::optional<Mailbox> m_user;
    std::unique_ptr<SmtpTransaction> m_transaction;
    std::unique_ptr<SmtpTransaction> m_delivering; // handed to delivery, until it answers
    DataReader m_dataReader;
    QString m_transactionId;
    qint64 m_bdatRemaining = 0;
    bool m_bdatLast = false;
    QString m_bdatDiscard; // the error to give once a BDAT chunk that cannot be used is read
    std::unique_ptr<SaslMechanism> m_sasl;
    int m_errors = 0;
    bool m_discardLine = false; // the rest of an over-long command line is being skipped
    QTimer m_timer;
};

} // namespace promail
