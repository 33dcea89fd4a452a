// SmtpSession: AUTH (RFC 4954) with the mail directory's passwords, on submission ports only
// and only over TLS; failures feed the shared login ban list.
#include "protocols/abnf/cursor.h"
#include "protocols/auth/authenticator.h"
#include "protocols/sasl/saslmechanism.h"
#include "protocols/smtp/smtpsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

void SmtpSession::auth(Cursor& cursor)
{
    if (m_mode == SmtpMode::Mta)
    {
        fail(503, "5.5.1", u"Error: authentication not enabled"_s);
        return;
    }
    if (!m_tls)
    {
        fail(538, "5.7.11", u"Encryption required for requested authentication mechanism"_s);
        return;
    }
    if (!requireGreeting())
        return;
    if (m_user)
    {
        fail(503, "5.5.1", u"Error: already authenticated"_s);
        return;
    }
    if (m_transaction)
    {
        fail(503, "5.5.1", u"Error: MAIL transaction in progress"_s);
        return;
    }
    cursor.space();
    const QByteArray name = cursor.until(" ");
    QByteArray initial;
    bool present = false;
    if (cursor.ok() && cursor.present(" "))
    {
        initial = cursor.rest().toByteArray();
        present = true;
    }
    if (!cursor.ok() || name.isEmpty())
    {
        fail(501, "5.5.4", u"Syntax: AUTH mechanism [initial-response]"_s);
        return;
    }
    m_sasl = SaslMechanism::create(name);
    if (!m_sasl)
    {
        fail(504, "5.5.4", u"Unrecognized authentication type"_s);
        return;
    }
    QByteArray decoded;
    if (present && initial != "=") // RFC 4954 §4: "=" is an empty initial response
    {
        const auto result = QByteArray::fromBase64Encoding(initial, QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
        {
            m_sasl.reset();
            fail(501, "5.5.2", u"Cannot decode response"_s);
            return;
        }
        decoded = *result;
    }
    const SaslMechanism::Step step = m_sasl->start(decoded, present);
    if (step == SaslMechanism::Step::Challenge)
    {
        m_phase = Phase::Auth;
        reply(334, {}, QString::fromLatin1(m_sasl->challenge().toBase64()));
        return;
    }
    finishAuth(step);
}

void SmtpSession::finishAuth(SaslMechanism::Step step)
{
    m_phase = Phase::Command;
    const std::unique_ptr<SaslMechanism> mechanism = std::move(m_sasl);
    if (step == SaslMechanism::Step::Failed)
    {
        fail(501, "5.5.2", u"Error: "_s + mechanism->error());
        return;
    }
    authenticateAsync(mechanism->authcid(), mechanism->password());
}

void SmtpSession::authenticateAsync(const QString& user, const QString& password)
{
    pause();
    Authenticator::verify(
        *m_services.directory, m_services.bans, m_client, u"smtp"_s, user, password,
        [](const Mailbox& mailbox) { return mailbox.smtp; }, this,
        [this](Authenticator::Outcome outcome, const Mailbox& mailbox)
        {
            switch (outcome)
            {
            case Authenticator::Outcome::Success:
                m_user = mailbox;
                reply(235, "2.7.0", u"Authentication successful"_s);
                resume();
                return;
            case Authenticator::Outcome::Banned:
                closeWith({421, "4.7.0", m_services.hostname + u" too many failed logins; try later"_s});
                return;
            case Authenticator::Outcome::Failure:
                resume();
                fail(535, "5.7.8", u"Error: authentication failed"_s);
                return;
            }
        });
}

} // namespace promail
