// ImapSession: commands of any state and of the not-authenticated state — CAPABILITY, NOOP,
// LOGOUT (RFC 9051 §6.1), STARTTLS, AUTHENTICATE and LOGIN (§6.2).
#include "core/settingdefinitions.h"
#include "directory/directorycontext.h"
#include "mailstore/mailstore.h"
#include "net/tlsacceptor.h"
#include "protocols/auth/authenticator.h"
#include "protocols/imap/imapcapabilities.h"
#include "protocols/imap/imapsession.h"
#include "storage/settingsstore.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

QByteArray ImapSession::capabilityList() const
{
    const bool beforeLogin = m_state == State::NotAuthenticated;
    QByteArrayList names;
    for (const ImapCapability& capability : imapCapabilities())
    {
        switch (capability.scope)
        {
        case ImapCapabilityScope::Always:
            // RFC 7889 §2: APPENDLIMIT carries the limit this session applies to APPEND.
            names.append(capability.name == "APPENDLIMIT"
                             ? capability.name + '=' + QByteArray::number(m_reader.maxAppendLiteral())
                             : capability.name);
            break;
        case ImapCapabilityScope::BeforeTls:
            if (beforeLogin && !m_tls && m_services.tls)
                names.append(capability.name);
            break;
        case ImapCapabilityScope::BeforeLogin:
            if (beforeLogin && m_tls)
                names.append(capability.name);
            break;
        }
    }
    return names.join(' ');
}

void ImapSession::capability(Request& request)
{
    if (!requireEnd(request))
        return;
    untagged("CAPABILITY "_ba + capabilityList());
    ok(request, "CAPABILITY completed"_ba);
}

void ImapSession::noop(Request& request)
{
    if (!requireEnd(request))
        return;
    // RFC 9051 §6.1.2: NOOP is how a client polls for new messages and other changes.
    if (m_state == State::Selected)
        synchronize(true);
    ok(request, "NOOP completed"_ba);
}

void ImapSession::logout(Request& request)
{
    if (!requireEnd(request))
        return;
    m_state = State::Logout;
    untagged("BYE ProMail IMAP server logging out"_ba);
    closeWith(request.tag + " OK LOGOUT completed\r\n"_ba);
}

bool ImapSession::loginAllowed(const Request& request)
{
    if (m_tls)
        return true;
    // RFC 9051 §6.2.3 and LOGINDISABLED: no password travels in clear text.
    no(request, "[PRIVACYREQUIRED] Use STARTTLS before logging in"_ba);
    return false;
}

void ImapSession::login(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray user = parser.astring();
    parser.space();
    const QByteArray password = parser.astring();
    if (!requireEnd(request) || !loginAllowed(request))
        return;
    m_authTag = request.tag;
    authenticateAsync(QString::fromUtf8(user), QString::fromUtf8(password));
}

void ImapSession::authenticate(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray mechanism = parser.atom();
    std::optional<QByteArray> initial;
    if (parser.ok() && parser.present(" "))
        initial = parser.cursor().span([](unsigned char c) { return c > 0x20 && c < 0x7f; }, u"an initial response"_s);
    if (!requireEnd(request) || !loginAllowed(request))
        return;
    m_sasl = SaslMechanism::create(mechanism);
    if (!m_sasl || mechanism.toUpper() != "PLAIN")
    {
        m_sasl.reset();
        no(request, "Unsupported authentication mechanism"_ba);
        return;
    }
    m_authTag = request.tag;
    QByteArray decoded;
    if (initial && *initial != "=") // RFC 4959 §3: "=" is an empty initial response
    {
        const auto result = QByteArray::fromBase64Encoding(*initial, QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
        {
            m_sasl.reset();
            bad(request.tag, "Cannot decode the initial response"_ba);
            return;
        }
        decoded = *result;
    }
    const SaslMechanism::Step step = m_sasl->start(decoded, initial.has_value());
    if (step == SaslMechanism::Step::Challenge)
    {
        m_phase = Phase::Auth;
        send("+ "_ba + m_sasl->challenge().toBase64() + "\r\n"_ba);
        return;
    }
    finishAuth(step);
}

void ImapSession::continueAuth(const QByteArray& line)
{
    m_phase = Phase::Command;
    if (line == "*")
    {
        // RFC 9051 §6.2.2: the client cancelled; the server answers BAD.
        m_sasl.reset();
        bad(m_authTag, "Authentication cancelled"_ba);
        return;
    }
    const auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
    {
        m_sasl.reset();
        bad(m_authTag, "Cannot decode the response"_ba);
        return;
    }
    const SaslMechanism::Step step = m_sasl->respond(*decoded);
    if (step == SaslMechanism::Step::Challenge)
    {
        m_phase = Phase::Auth;
        send("+ "_ba + m_sasl->challenge().toBase64() + "\r\n"_ba);
        return;
    }
    finishAuth(step);
}

void ImapSession::finishAuth(SaslMechanism::Step step)
{
    m_phase = Phase::Command;
    const std::unique_ptr<SaslMechanism> mechanism = std::move(m_sasl);
    if (step == SaslMechanism::Step::Failed)
    {
        send(m_authTag + " NO [AUTHENTICATIONFAILED] "_ba + mechanism->error().toUtf8() + "\r\n"_ba);
        return;
    }
    authenticateAsync(mechanism->authcid(), mechanism->password());
}

void ImapSession::authenticateAsync(const QString& user, const QString& password)
{
    pause();
    // Every mailbox passes `allowed`: a right password with IMAP access off is told apart below
    // and is not a failed login, since a ban would lock the user out of the other protocols too.
    Authenticator::verify(
        *m_services.directory, m_services.bans, m_client, u"imap"_s, user, password,
        [](const Mailbox&) { return true; }, this,
        [this](Authenticator::Outcome outcome, const Mailbox& mailbox)
        {
            const QByteArray tag = m_authTag;
            switch (outcome)
            {
            case Authenticator::Outcome::Success:
                resume();
                if (!mailbox.imap)
                {
                    // RFC 5530 CONTACTADMIN: the account exists but may not use IMAP.
                    send(tag + " NO [CONTACTADMIN] IMAP access is disabled for this mailbox\r\n"_ba);
                    return;
                }
                if (m_services.imapConnections)
                {
                    // Issue 4: a per-user connection limit; RFC 5530 LIMIT.
                    m_connectionLease = m_services.imapConnections->acquire(
                        mailbox.id, m_services.settings->intValue(settingkeys::kImapMaxConnectionsPerUser));
                    if (!m_connectionLease.isHeld())
                    {
                        send(tag + " NO [LIMIT] Too many IMAP connections for this mailbox\r\n"_ba);
                        return;
                    }
                }
                if (m_services.store)
                {
                    // Issue 4: the standard folders exist for every mailbox a client opens.
                    if (const Status ensured = m_services.store->ensureStandardFolders(mailbox.id); !ensured)
                    {
                        qCWarning(lcImap).noquote()
                            << "cannot create the folders of" << mailbox.address() << ":" << ensured.error().message;
                        m_connectionLease.release();
                        send(tag + " NO [UNAVAILABLE] Cannot open the mailbox; try again later\r\n"_ba);
                        return;
                    }
                }
                m_mailbox = mailbox;
                m_state = State::Authenticated;
                // RFC 9051 §6.3.12: a message may be as large over IMAP as over SMTP (APPENDLIMIT),
                // once logged in; before, APPEND's literal has the small limit of every other command.
                m_reader.setLargeAppendAllowed(true);
                qCInfo(lcImap).noquote() << "login" << mailbox.address() << "from" << m_client.toString();
                // RFC 9051 §6.2.2: the capabilities may change at login, so they come with the OK.
                send(tag + " OK [CAPABILITY "_ba + capabilityList() + "] Logged in\r\n"_ba);
                return;
            case Authenticator::Outcome::Banned:
                closeWith(tag + " NO [UNAVAILABLE] Too many failed logins; try later\r\n"_ba);
                return;
            case Authenticator::Outcome::Failure:
                resume();
                send(tag + " NO [AUTHENTICATIONFAILED] Authentication failed\r\n"_ba);
                return;
            }
        });
}

void ImapSession::starttls(Request& request)
{
    if (!requireEnd(request))
        return;
    if (m_tls || !m_services.tls)
    {
        // RFC 9051 §6.2.1: STARTTLS is not available (already active, or no certificate).
        bad(request.tag, "TLS is active already or not available"_ba);
        return;
    }
    ok(request, "Begin TLS negotiation now"_ba);
    switchToTls();
}

void ImapSession::switchToTls()
{
    // RFC 9051 §6.2.1: the handshake starts right after the OK; anything pipelined behind
    // STARTTLS is discarded.
    m_input.clear();
    m_reader.reset();
    pause();
    TlsAcceptor::upgrade(
        std::exchange(m_socket, nullptr), m_services.tls, this,
        [this](QSslSocket* socket)
        {
            m_tls = true;
            attachSocket(socket);
            resume();
        },
        [this]
        {
            m_phase = Phase::Closed;
            deleteLater();
        });
}

} // namespace promail
