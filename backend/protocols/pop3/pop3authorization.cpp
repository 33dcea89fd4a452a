// Pop3Session: the AUTHORIZATION state — CAPA (RFC 2449 §5), STLS (RFC 2595 §4), USER/PASS
// (RFC 1939 §7) and AUTH (RFC 5034), with the response codes of RFC 2449 §8 and RFC 3206.
#include "directory/directorycontext.h"
#include "mailstore/folderindex.h"
#include "net/tlsacceptor.h"
#include "protocols/auth/authenticator.h"
#include "protocols/pop3/pop3capabilities.h"
#include "protocols/pop3/pop3session.h"

#include <QSslSocket>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

void Pop3Session::capa(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: CAPA"_s);
        return;
    }
    // RFC 2449 §5: what is offered depends on the state; RFC 2595 §4: STLS until it is used,
    // and the login commands only once the connection is encrypted (secure by default).
    const bool authorization = m_state == State::Authorization;
    QList<QByteArray> lines;
    for (const Pop3Capability& capability : pop3Capabilities())
    {
        switch (capability.scope)
        {
        case Pop3CapabilityScope::Always:
            lines.append(capability.keyword);
            break;
        case Pop3CapabilityScope::BeforeTls:
            if (authorization && !m_tls && m_services.tls)
                lines.append(capability.keyword);
            break;
        case Pop3CapabilityScope::BeforeLogin:
            if (authorization && m_tls)
                lines.append(capability.keyword == "SASL" ? "SASL "_ba + SaslMechanism::names().join(' ')
                                                          : capability.keyword);
            break;
        }
    }
    okLines(u"Capability list follows"_s, lines);
}

bool Pop3Session::loginAllowed()
{
    if (m_tls)
        return true;
    // Secure by default: no password travels in clear text, like IMAP's LOGINDISABLED (RFC 2595).
    err(u"[AUTH] Plaintext authentication disallowed on non-secure connections; use STLS first"_s);
    return false;
}

void Pop3Session::user(const Pop3Command& command)
{
    if (!loginAllowed())
        return;
    if (command.arguments.size() != 1)
    {
        err(u"Syntax: USER address"_s);
        return;
    }
    // +OK for any name: USER must not tell which accounts exist.
    m_userName = command.arguments.first();
    ok(u"Send your password"_s);
}

void Pop3Session::pass(const Pop3Command& command)
{
    if (!loginAllowed())
        return;
    if (m_userName.isEmpty())
    {
        err(u"Send USER first"_s);
        return;
    }
    const QByteArray userName = std::exchange(m_userName, {});
    if (command.arguments.size() != 1 || command.arguments.first().isEmpty())
    {
        err(u"Syntax: PASS password"_s);
        return;
    }
    authenticateAsync(QString::fromUtf8(userName), QString::fromUtf8(command.arguments.first()));
}

void Pop3Session::auth(const Pop3Command& command)
{
    if (!loginAllowed())
        return;
    if (command.arguments.isEmpty())
    {
        // Not in RFC 5034, but sent by clients of RFC 1734's time (Outlook): the mechanisms.
        okLines(u"Supported mechanisms follow"_s, SaslMechanism::names());
        return;
    }
    if (command.arguments.size() > 2)
    {
        err(u"Syntax: AUTH mechanism [initial-response]"_s);
        return;
    }
    m_sasl = SaslMechanism::create(command.arguments.first());
    if (!m_sasl)
    {
        err(u"Unsupported authentication mechanism"_s);
        return;
    }
    const bool present = command.arguments.size() == 2;
    QByteArray decoded;
    if (present && command.arguments[1] != "=") // RFC 5034 §4: "=" is an empty initial response
    {
        const auto result =
            QByteArray::fromBase64Encoding(command.arguments[1], QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
        {
            m_sasl.reset();
            err(u"Cannot decode the initial response"_s);
            return;
        }
        decoded = *result;
    }
    const SaslMechanism::Step step = m_sasl->start(decoded, present);
    if (step == SaslMechanism::Step::Challenge)
    {
        // RFC 5034 §4: a challenge is "+ " and base64 (empty for PLAIN without initial response).
        m_phase = Phase::Auth;
        send("+ "_ba + m_sasl->challenge().toBase64() + "\r\n"_ba);
        return;
    }
    finishAuth(step);
}

void Pop3Session::continueAuth(const QByteArray& line)
{
    if (line == "*")
    {
        // RFC 5034 §4: the client cancelled the exchange; the server answers -ERR.
        m_sasl.reset();
        m_phase = Phase::Command;
        err(u"Authentication cancelled"_s);
        return;
    }
    const auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
    {
        m_sasl.reset();
        m_phase = Phase::Command;
        err(u"Cannot decode the response"_s);
        return;
    }
    const SaslMechanism::Step step = m_sasl->respond(*decoded);
    if (step == SaslMechanism::Step::Challenge)
    {
        send("+ "_ba + m_sasl->challenge().toBase64() + "\r\n"_ba);
        return;
    }
    finishAuth(step);
}

void Pop3Session::finishAuth(SaslMechanism::Step step)
{
    m_phase = Phase::Command;
    const std::unique_ptr<SaslMechanism> mechanism = std::move(m_sasl);
    if (step == SaslMechanism::Step::Failed)
    {
        err(mechanism->error());
        return;
    }
    authenticateAsync(mechanism->authcid(), mechanism->password());
}

void Pop3Session::authenticateAsync(const QString& user, const QString& password)
{
    pause();
    // Every mailbox passes the `allowed` check: a right password with POP3 access off is told
    // apart below and is not a failed login, since a ban would lock the user out of IMAP and SMTP too.
    Authenticator::verify(
        *m_services.directory, m_services.bans, m_client, u"pop3"_s, user, password,
        [](const Mailbox&) { return true; }, this,
        [this](Authenticator::Outcome outcome, const Mailbox& mailbox)
        {
            switch (outcome)
            {
            case Authenticator::Outcome::Success:
                resume();
                if (!mailbox.pop3)
                {
                    // Seed 001: POP3 is off unless an admin turns it on for the mailbox (RFC 3206 [AUTH]).
                    err(u"[AUTH] POP3 access is disabled for this mailbox"_s);
                    return;
                }
                openMaildrop(mailbox);
                return;
            case Authenticator::Outcome::Banned:
                // RFC 3206: SYS/TEMP, a condition of the server, not of the credentials.
                closeWith("-ERR [SYS/TEMP] Too many failed logins; try later\r\n"_ba);
                return;
            case Authenticator::Outcome::Failure:
                resume();
                err(u"[AUTH] Authentication failed"_s);
                return;
            }
        });
}

void Pop3Session::openMaildrop(const Mailbox& mailbox)
{
    auto lock = std::make_shared<MaildropLock>();
    if (!lock->acquire(mailbox.id))
    {
        // RFC 1939 §8, RFC 2449 §8.1 IN-USE: one session at a time per maildrop.
        err(u"[IN-USE] The mailbox is open in another POP3 session"_s, false);
        return;
    }
    // RFC 1939 §4: the maildrop is the INBOX as it is now; later mail waits for the next session.
    const auto listing =
        FolderIndex(m_services.directory->database, m_services.directory->paths).list(mailbox.id, u"INBOX"_s);
    if (!listing)
    {
        qCWarning(lcPop3).noquote() << "cannot open the maildrop of" << mailbox.address() << ":"
                                    << listing.error().message;
        err(u"[SYS/TEMP] Cannot open the mailbox; try again later"_s, false);
        return;
    }
    m_lock = std::move(lock);
    m_mailbox = mailbox;
    m_maildrop = Pop3Maildrop(*listing);
    m_state = State::Transaction;
    qCInfo(lcPop3).noquote() << "login" << mailbox.address() << "from" << m_client.toString()
                             << (m_tls ? "with TLS" : "");
    ok(u"Logged in; %1 messages (%2 octets)"_s.arg(m_maildrop.count()).arg(m_maildrop.size()));
}

void Pop3Session::stls(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: STLS"_s);
        return;
    }
    if (m_tls)
    {
        err(u"Command not permitted when TLS active"_s);
        return;
    }
    if (!m_services.tls)
    {
        err(u"TLS not available"_s);
        return;
    }
    ok(u"Begin TLS negotiation"_s);
    switchToTls();
}

void Pop3Session::switchToTls()
{
    // RFC 2595 §4: the handshake starts right after "+OK"; anything the client sent behind STLS
    // is discarded.
    m_input.clear();
    pause();
    TlsAcceptor::upgrade(
        std::exchange(m_socket, nullptr), m_services.tls, this,
        [this](QSslSocket* socket)
        {
            m_tls = true;
            attachSocket(socket);
            // RFC 2595 §4: the client starts again with CAPA; nothing from before survives.
            m_userName.clear();
            m_sasl.reset();
            resume();
        },
        [this]
        {
            m_phase = Phase::Closed;
            deleteLater();
        });
}

} // namespace promail
