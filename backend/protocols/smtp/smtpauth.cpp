// SmtpSession: AUTH (RFC 4954) with the mail directory's passwords, on submission ports only
// and only over TLS; failures feed the shared login ban list.
#include "directory/mailboxstore.h"
#include "policy/loginbans.h"
#include "protocols/abnf/cursor.h"
#include "protocols/sasl/saslmechanism.h"
#include "protocols/smtp/smtpsession.h"

#include <QPointer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Password hashing (argon2id, ~50 ms) runs here, not on a session's event loop. The threads
// never expire: each keeps its own database connection for the life of the process.
QThreadPool& passwordThreads()
{
    static QThreadPool* pool = []
    {
        auto* threads = new QThreadPool;
        threads->setExpiryTimeout(-1);
        threads->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        return threads;
    }();
    return *pool;
}
} // namespace

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
    SaslMechanism& mechanism = *m_sasl;
    if (step == SaslMechanism::Step::Failed)
    {
        m_sasl.reset();
        fail(501, "5.5.2", u"Error: "_s + mechanism.error());
        return;
    }
    const QString user = mechanism.authcid();
    const QString password = mechanism.password();
    m_sasl.reset();
    authenticateAsync(user, password);
}

void SmtpSession::authenticateAsync(const QString& user, const QString& password)
{
    pause();
    QPointer<SmtpSession> self(this);
    // The answer is posted to the worker's context object, which outlives every session in its
    // thread; `self` is only looked at there.
    QObject* context = parent() ? parent() : this;
    const DirectoryContext* directory = m_services.directory;
    passwordThreads().start(
        [self, context, directory, user, password]
        {
            auto result = MailboxStore(*directory).authenticate(user, password);
            QMetaObject::invokeMethod(
                context,
                [self, result = std::move(result)]
                {
                    if (!self)
                        return;
                    SmtpSession& session = *self;
                    // Only active mailboxes with SMTP access may submit (issue 3 "AUTH").
                    if (result && result->smtp)
                    {
                        session.m_user = *result;
                        session.reply(235, "2.7.0", u"Authentication successful"_s);
                        session.resume();
                        return;
                    }
                    if (session.m_services.bans && session.m_services.bans->recordFailure(session.m_client, u"smtp"_s))
                    {
                        session.closeWith(
                            {421, "4.7.0", session.m_services.hostname + u" too many failed logins; try later"_s});
                        return;
                    }
                    session.resume();
                    session.fail(535, "5.7.8", u"Error: authentication failed"_s);
                },
                Qt::QueuedConnection);
        });
}

} // namespace promail
