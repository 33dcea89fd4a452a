#include "protocols/pop3/pop3session.h"
#include "policy/clientaddress.h"

#include "core/settingdefinitions.h"
#include "policy/loginbans.h"
#include "storage/settingsstore.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

Q_LOGGING_CATEGORY(lcPop3, "promail.pop3", QtInfoMsg)

namespace
{
QByteArray responseText(const QString& text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace('\r', ' ').replace('\n', ' ');
    return bytes;
}
} // namespace

const QList<Pop3Session::Command>& Pop3Session::commands()
{
    // Keep alphabetical. The states each command is valid in: RFC 1939 §4–§7, RFC 2449 §5 (CAPA),
    // RFC 2595 §4 (STLS), RFC 5034 §4 (AUTH).
    static const QList<Command> table{
        {"AUTH", true, false, &Pop3Session::auth}, {"CAPA", true, true, &Pop3Session::capa},
        {"DELE", false, true, &Pop3Session::dele}, {"LIST", false, true, &Pop3Session::list},
        {"NOOP", false, true, &Pop3Session::noop}, {"PASS", true, false, &Pop3Session::pass},
        {"QUIT", true, true, &Pop3Session::quit},  {"RETR", false, true, &Pop3Session::retr},
        {"RSET", false, true, &Pop3Session::rset}, {"STAT", false, true, &Pop3Session::stat},
        {"STLS", true, false, &Pop3Session::stls}, {"TOP", false, true, &Pop3Session::top},
        {"UIDL", false, true, &Pop3Session::uidl}, {"USER", true, false, &Pop3Session::user},
    };
    return table;
}

Pop3Session::Pop3Session(QSslSocket* socket, const ProtocolServices& services, bool tlsActive, QObject* parent)
    : QObject(parent), m_services(services), m_tls(tlsActive)
{
    attachSocket(socket);
    m_client = normalisedClientAddress(socket->peerAddress());
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this,
            [this]
            {
                // RFC 1939 §3: the autologout timer; the session ends without entering UPDATE, so
                // nothing marked deleted is removed. In the middle of a message no line may be added.
                closeWith(m_phase == Phase::Sending ? QByteArray() : "-ERR Autologout; idle for too long\r\n"_ba);
            });
}

Pop3Session::~Pop3Session() = default;

void Pop3Session::attachSocket(QSslSocket* socket)
{
    m_socket = socket;
    m_socket->setParent(this);
    // Back-pressure: input that arrives while a message is being sent waits in this buffer, then
    // in the client's TCP window, not in our memory.
    m_socket->setReadBufferSize(kSocketBuffer);
    connect(m_socket, &QSslSocket::readyRead, this, &Pop3Session::readInput);
    connect(m_socket, &QSslSocket::bytesWritten, this, &Pop3Session::writeProgressed);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &Pop3Session::writeProgressed);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this]
            {
                // A dropped connection never reaches the UPDATE state (RFC 1939 §6): nothing is deleted.
                m_phase = Phase::Closed;
                m_lock.reset();
                deleteLater();
            });
}

void Pop3Session::start()
{
    if (m_services.bans && m_services.bans->isBanned(m_client))
    {
        closeWith("-ERR [SYS/TEMP] Too many failed logins from your address; try later\r\n"_ba);
        return;
    }
    ok(m_services.hostname + u" ProMail POP3 ready"_s);
    restartTimer();
    process(); // input may already be waiting
}

void Pop3Session::restartTimer()
{
    m_timer.start(std::chrono::seconds(m_services.settings->intValue(settingkeys::kPop3CommandTimeout)));
}

void Pop3Session::readInput()
{
    if (m_phase != Phase::Command && m_phase != Phase::Auth)
        return; // the bytes wait in the socket, whose buffer is bounded
    restartTimer();
    process();
}

void Pop3Session::pause()
{
    m_phase = Phase::Paused;
    m_timer.stop();
}

void Pop3Session::resume()
{
    if (m_phase != Phase::Paused)
        return;
    m_phase = Phase::Command;
    restartTimer();
    // Continue with pipelined input once the current response has been sent.
    QMetaObject::invokeMethod(this, &Pop3Session::process, Qt::QueuedConnection);
}

void Pop3Session::process()
{
    while (m_phase == Phase::Command || m_phase == Phase::Auth)
    {
        // A client that pipelines without reading the responses waits until it has read them.
        if (writeBacklog() > kMaxWriteBacklog)
            return;
        const qsizetype limit = m_phase == Phase::Auth ? kMaxSaslLine : kMaxCommandLine;
        const qsizetype newline = m_input.indexOf('\n');
        if (newline < 0)
        {
            // More is taken from the socket only when no whole line is waiting, so pipelined
            // input stays in the socket's bounded buffer rather than in ours.
            const QByteArray more = m_socket ? m_socket->read(kSocketBuffer) : QByteArray();
            if (!more.isEmpty())
            {
                m_input += more;
                continue;
            }
            if (m_input.size() <= limit + 1) // + the CR
                return;                      // wait for the rest of the line
            m_input.clear();
            if (!std::exchange(m_discardLine, true))
                err(u"Line too long"_s);
            continue;
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
        if (line.size() > limit)
        {
            err(u"Line too long"_s);
            continue;
        }
        processLine(line);
    }
}

void Pop3Session::processLine(const QByteArray& line)
{
    if (m_phase == Phase::Auth)
    {
        continueAuth(line);
        return;
    }
    const Pop3Command command = Pop3Command::parse(line);
    if (!command.ok())
    {
        err(u"Syntax error: "_s + command.error);
        return;
    }
    for (const Command& entry : commands())
    {
        if (entry.name != command.verb)
            continue;
        const bool valid = m_state == State::Authorization ? entry.inAuthorization : entry.inTransaction;
        if (!valid)
        {
            err(u"Command not valid in this state"_s);
            return;
        }
        (this->*entry.handler)(command);
        return;
    }
    err(u"Unknown command"_s);
}

void Pop3Session::send(const QByteArray& bytes)
{
    if (m_phase == Phase::Closed || !m_socket)
        return;
    m_socket->write(bytes);
}

qint64 Pop3Session::writeBacklog() const
{
    return m_socket ? m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() : 0;
}

void Pop3Session::writeProgressed()
{
    if (m_phase == Phase::Sending)
        continueSending();
    else
        process(); // commands held back by the backlog, if any
}

void Pop3Session::ok(const QString& text)
{
    send(text.isEmpty() ? "+OK\r\n"_ba : "+OK "_ba + responseText(text) + "\r\n"_ba);
}

void Pop3Session::okLines(const QString& text, const QList<QByteArray>& lines)
{
    QByteArray response = "+OK "_ba + responseText(text) + "\r\n"_ba;
    for (const QByteArray& line : lines)
    {
        if (line.startsWith('.'))
            response += '.'; // RFC 1939 §3
        response += line + "\r\n"_ba;
    }
    response += ".\r\n"_ba;
    send(response);
}

void Pop3Session::err(const QString& text, bool countsAsError)
{
    send("-ERR "_ba + responseText(text) + "\r\n"_ba);
    if (countsAsError && ++m_errors >= m_services.settings->intValue(settingkeys::kPop3MaxErrors))
        closeWith("-ERR Too many errors; closing the connection\r\n"_ba);
}

void Pop3Session::closeWith(const QByteArray& line)
{
    if (!line.isEmpty())
        send(line);
    m_phase = Phase::Closed;
    m_timer.stop();
    m_input.clear();
    m_stuffer.reset();
    m_reader.close();
    m_lock.reset(); // RFC 1939 §6: the maildrop is released as the session ends, not when it is freed
    if (!m_socket)
    {
        deleteLater();
        return;
    }
    if (line.isEmpty())
        m_socket->abort();
    else
        m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        deleteLater();
}

} // namespace promail
