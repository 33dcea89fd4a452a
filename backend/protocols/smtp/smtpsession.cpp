#include "protocols/smtp/smtpsession.h"
#include "policy/clientaddress.h"

#include "core/logging.h"
#include "core/settingdefinitions.h"
#include "policy/loginbans.h"
#include "protocols/abnf/cursor.h"
#include "protocols/sasl/saslmechanism.h"
#include "storage/settingsstore.h"

#include <QSslCipher>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

const QList<SmtpSession::Command>& SmtpSession::commands()
{
    // Keep alphabetical.
    static const QList<Command> table{
        {"AUTH", &SmtpSession::auth}, {"BDAT", &SmtpSession::bdat}, {"DATA", &SmtpSession::data},
        {"EHLO", &SmtpSession::ehlo}, {"HELO", &SmtpSession::helo}, {"HELP", &SmtpSession::help},
        {"MAIL", &SmtpSession::mail}, {"NOOP", &SmtpSession::noop}, {"QUIT", &SmtpSession::quit},
        {"RCPT", &SmtpSession::rcpt}, {"RSET", &SmtpSession::rset}, {"STARTTLS", &SmtpSession::starttls},
        {"VRFY", &SmtpSession::vrfy},
    };
    return table;
}

SmtpSession::SmtpSession(QSslSocket* socket, SmtpMode mode, const ProtocolServices& services, bool tlsActive,
                         QObject* parent)
    : QObject(parent), m_mode(mode), m_services(services), m_tls(tlsActive)
{
    attachSocket(socket);
    m_client = normalisedClientAddress(socket->peerAddress());
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this,
            [this]
            {
                // RFC 5321 §4.5.3.2: the server may close an idle connection after its timeout.
                closeWith({421, "4.4.2", m_services.hostname + u" Error: timeout exceeded"_s});
            });
}

SmtpSession::~SmtpSession() = default;

void SmtpSession::attachSocket(QSslSocket* socket)
{
    m_socket = socket;
    m_socket->setParent(this);
    // Back-pressure: a client that pipelines while the session waits for the disk fills this
    // buffer, then its TCP window, not our memory.
    m_socket->setReadBufferSize(kSocketBuffer);
    if (m_tls)
    {
        const QSslCipher cipher = m_socket->sessionCipher();
        m_tlsDescription = cipher.protocolString() + u' ' + cipher.name();
    }
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpSession::readInput);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this]
            {
                m_phase = Phase::Closed;
                deleteLater();
            });
}

void SmtpSession::start()
{
    if (m_services.bans && m_services.bans->isBanned(m_client))
    {
        closeWith({421, "4.7.0", m_services.hostname + u" too many failed logins from your address; try later"_s});
        return;
    }
    // RFC 5321 §4.2: the greeting carries no enhanced code (RFC 2034 §3).
    reply(220, {}, m_services.hostname + u" ESMTP ProMail"_s);
    restartTimer();
    process(); // input may already be waiting (a client that talks first)
}

void SmtpSession::restartTimer()
{
    const QString key = m_phase == Phase::Data || m_phase == Phase::Bdat ? settingkeys::kSmtpDataTimeout
                                                                         : settingkeys::kSmtpCommandTimeout;
    m_timer.start(std::chrono::seconds(m_services.settings->intValue(key)));
}

void SmtpSession::readInput()
{
    if (m_phase == Phase::Closed || m_phase == Phase::Paused)
        return; // while paused the bytes wait in the socket, whose buffer is bounded
    restartTimer();
    process();
}

void SmtpSession::pause()
{
    m_resumePhase = m_phase == Phase::Paused ? m_resumePhase : m_phase;
    m_phase = Phase::Paused;
    m_timer.stop();
}

void SmtpSession::resume()
{
    if (m_phase != Phase::Paused)
        return;
    m_phase = m_resumePhase;
    restartTimer();
    // Continue with pipelined input once the current reply has been sent.
    QMetaObject::invokeMethod(this, &SmtpSession::process, Qt::QueuedConnection);
}

void SmtpSession::process()
{
    if (m_socket && m_phase != Phase::Paused && m_phase != Phase::Closed)
        m_input += m_socket->readAll();
    while (!m_input.isEmpty())
    {
        switch (m_phase)
        {
        case Phase::Paused:
        case Phase::Closed:
            return;
        case Phase::Data:
        {
            QByteArray unstuffed;
            const qsizetype used = m_dataReader.feed(m_input, unstuffed);
            m_input.remove(0, used);
            takeData(unstuffed);
            if (m_dataReader.state() == DataReader::State::BareLineEnding)
            {
                // RFC 5321 §2.3.8: only CRLF ends a line; accepting a bare LF is how SMTP
                // smuggling works, so the session ends here (as Postfix does).
                m_transaction.reset();
                closeWith({521, "5.5.2", m_services.hostname + u" Error: bare <LF> or <CR> received"_s});
                return;
            }
            if (m_dataReader.state() == DataReader::State::Finished)
                finishData();
            continue;
        }
        case Phase::Bdat:
            readBdatChunk();
            continue;
        case Phase::Command:
        case Phase::Auth:
            break;
        }
        const qsizetype newline = m_input.indexOf('\n');
        if (newline < 0)
        {
            if (m_input.size() > kMaxCommandLine)
            {
                m_input.clear();
                m_discardLine = true;
                fail(500, "5.5.0", u"Error: line too long"_s);
            }
            return;
        }
        QByteArray line = m_input.left(newline);
        m_input.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (m_discardLine)
        {
            m_discardLine = false;
            continue;
        }
        if (line.size() > kMaxCommandLine)
        {
            fail(500, "5.5.0", u"Error: line too long"_s);
            continue;
        }
        processLine(line);
    }
}

void SmtpSession::processLine(const QByteArray& line)
{
    if (m_phase == Phase::Auth)
    {
        if (line == "*")
        {
            // RFC 4954 §4: the client cancelled the exchange.
            m_sasl.reset();
            m_phase = Phase::Command;
            fail(501, "5.7.0", u"Authentication cancelled"_s);
            return;
        }
        const auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
        {
            m_sasl.reset();
            m_phase = Phase::Command;
            fail(501, "5.5.2", u"Cannot decode response"_s);
            return;
        }
        const SaslMechanism::Step step = m_sasl->respond(*decoded);
        if (step == SaslMechanism::Step::Challenge)
            reply(334, {}, QString::fromLatin1(m_sasl->challenge().toBase64()));
        else
            finishAuth(step);
        return;
    }

    Cursor cursor(line);
    const QByteArray verb = cursor.until(" ").toUpper();
    for (const Command& command : commands())
    {
        if (command.name == verb)
        {
            (this->*command.handler)(cursor);
            return;
        }
    }
    fail(502, "5.5.2", u"Error: command not recognized"_s);
}

void SmtpSession::reply(const SmtpReply& smtpReply)
{
    if (m_phase == Phase::Closed || !m_socket)
        return;
    m_socket->write(smtpReply.toWire());
}

void SmtpSession::fail(int code, const QByteArray& enhanced, const QString& text)
{
    reply(code, enhanced, text);
    if (++m_errors >= m_services.settings->intValue(settingkeys::kSmtpMaxErrors))
        closeWith({421, "4.7.0", m_services.hostname + u" Error: too many errors"_s});
}

void SmtpSession::closeWith(const SmtpReply& smtpReply)
{
    reply(smtpReply);
    m_phase = Phase::Closed;
    m_timer.stop();
    m_input.clear();
    if (!m_socket)
    {
        deleteLater();
        return;
    }
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        deleteLater();
}

} // namespace promail
