// SmtpSession: the commands outside a mail transaction's envelope and data (RFC 5321 §4.1.1,
// RFC 3207 STARTTLS).
#include "core/settingdefinitions.h"
#include "net/tlsacceptor.h"
#include "protocols/abnf/cursor.h"
#include "protocols/sasl/saslmechanism.h"
#include "protocols/smtp/smtpsession.h"
#include "storage/settingsstore.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace promail
{

namespace
{
// RFC 5321 §4.1.1.1: EHLO takes a domain or an address literal; be lenient about its syntax
// (many clients send bare names), strict about its presence and characters.
bool isHeloArgument(const QByteArray& name)
{
    if (name.isEmpty() || name.size() > 255)
        return false;
    for (char c : name)
    {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return false;
    }
    return true;
}
} // namespace

QStringList SmtpSession::ehloLines() const
{
    QStringList lines{m_services.hostname};
    for (const SmtpCapability& capability : smtpCapabilities())
    {
        const QString keyword = QString::fromLatin1(capability.keyword);
        if (capability.keyword == "SIZE")
            lines.append(keyword + u' ' +
                         QString::number(m_services.settings->intValue(settingkeys::kSmtpMaxMessageSize)));
        else if (capability.keyword == "STARTTLS")
        {
            if (!m_tls && m_services.tls)
                lines.append(keyword);
        }
        else if (capability.keyword == "AUTH")
        {
            // RFC 8314 / RFC 4954 §4: AUTH only on submission ports, and only once encrypted.
            if (m_mode != SmtpMode::Mta && m_tls)
            {
                QStringList names;
                for (const QByteArray& name : SaslMechanism::names())
                    names.append(QString::fromLatin1(name));
                lines.append(keyword + u' ' + names.join(u' '));
            }
        }
        else
            lines.append(keyword);
    }
    return lines;
}

bool SmtpSession::requireGreeting()
{
    if (!m_heloName.isEmpty())
        return true;
    fail(503, "5.5.1", u"Error: send HELO/EHLO first"_s);
    return false;
}

void SmtpSession::ehlo(Cursor& cursor)
{
    cursor.space();
    const QByteArray name = cursor.until(" ");
    if (!cursor.ok() || !isHeloArgument(name))
    {
        fail(501, "5.5.4", u"Syntax: EHLO hostname"_s);
        return;
    }
    m_heloName = QString::fromLatin1(name);
    m_esmtp = true;
    m_transaction.reset(); // RFC 5321 §4.1.4: EHLO resets the state like RSET
    reply(SmtpReply(250, {}, ehloLines()));
}

void SmtpSession::helo(Cursor& cursor)
{
    cursor.space();
    const QByteArray name = cursor.until(" ");
    if (!cursor.ok() || !isHeloArgument(name))
    {
        fail(501, "5.5.4", u"Syntax: HELO hostname"_s);
        return;
    }
    m_heloName = QString::fromLatin1(name);
    m_esmtp = false;
    m_transaction.reset();
    reply(250, {}, m_services.hostname);
}

void SmtpSession::help(Cursor&)
{
    QStringList names;
    for (const Command& command : commands())
        names.append(QString::fromLatin1(command.name.toByteArray()));
    reply(214, "2.0.0", u"Commands: "_s + names.join(u' '));
}

void SmtpSession::noop(Cursor&)
{
    reply(250, "2.0.0", u"Ok"_s);
}

void SmtpSession::quit(Cursor&)
{
    closeWith({221, "2.0.0", u"Bye"_s});
}

void SmtpSession::rset(Cursor& cursor)
{
    cursor.skipSpaces();
    cursor.end();
    if (!cursor.ok())
    {
        fail(501, "5.5.4", u"Syntax: RSET"_s);
        return;
    }
    m_transaction.reset();
    reply(250, "2.0.0", u"Ok"_s);
}

void SmtpSession::vrfy(Cursor&)
{
    // RFC 5321 §3.5.3: 252 when the server will not verify (address harvesting protection).
    reply(252, "2.0.0", u"Cannot VRFY user, but will accept message and attempt delivery"_s);
}

void SmtpSession::starttls(Cursor& cursor)
{
    cursor.skipSpaces();
    cursor.end();
    if (!cursor.ok())
    {
        fail(501, "5.5.4", u"Syntax: STARTTLS"_s);
        return;
    }
    if (m_tls)
    {
        fail(503, "5.5.1", u"Error: TLS already active"_s);
        return;
    }
    if (!m_services.tls)
    {
        fail(454, "4.7.0", u"TLS not available"_s);
        return;
    }
    reply(220, "2.0.0", u"Ready to start TLS"_s);
    switchToTls();
}

void SmtpSession::switchToTls()
{
    // RFC 3207 §4.2: anything the client pipelined after STARTTLS is discarded.
    m_input.clear();
    pause();
    TlsAcceptor::upgrade(
        std::exchange(m_socket, nullptr), m_services.tls, this,
        [this](QSslSocket* socket)
        {
            m_tls = true;
            attachSocket(socket);
            // RFC 3207 §4.2: the client must begin again with EHLO; nothing from before survives.
            m_heloName.clear();
            m_esmtp = false;
            m_transaction.reset();
            m_user.reset();
            resume();
        },
        [this]
        {
            m_phase = Phase::Closed;
            deleteLater();
        });
}

} // namespace promail
