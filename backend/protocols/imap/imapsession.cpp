#include "protocols/imap/imapsession.h"
#include "policy/clientaddress.h"
#include "protocols/imap/imapdeflatestream.h"

#include "core/settingdefinitions.h"
#include "policy/loginbans.h"
#include "storage/settingsstore.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace promail
{

Q_LOGGING_CATEGORY(lcImap, "promail.imap", QtInfoMsg)

const QList<ImapSession::Command>& ImapSession::commands()
{
    // Keep alphabetical. The states each command is valid in: RFC 9051 §6.1–§6.4, RFC 3691 (UNSELECT),
    // RFC 6851 (MOVE), RFC 4315 (UID EXPUNGE), RFC 2342 (NAMESPACE), RFC 4314 §3 (the ACL commands),
    // RFC 5161 (ENABLE), RFC 2971 §3.1 (ID), RFC 9208 §4.1 (the QUOTA commands), RFC 4978 (COMPRESS).
    using S = State;
    static const QList<Command> table{
        {"APPEND", S::Authenticated, false, &ImapSession::append},
        {"AUTHENTICATE", S::NotAuthenticated, true, &ImapSession::authenticate},
        {"CAPABILITY", S::NotAuthenticated, false, &ImapSession::capability},
        {"CHECK", S::Selected, false, &ImapSession::check},
        {"CLOSE", S::Selected, false, &ImapSession::close},
        {"COMPRESS", S::Authenticated, false, &ImapSession::compress},
        {"COPY", S::Selected, false, &ImapSession::copyMessages},
        {"CREATE", S::Authenticated, false, &ImapSession::create},
        {"DELETE", S::Authenticated, false, &ImapSession::deleteFolder},
        {"DELETEACL", S::Authenticated, false, &ImapSession::deleteAcl},
        {"ENABLE", S::Authenticated, false, &ImapSession::enable},
        {"EXAMINE", S::Authenticated, false, &ImapSession::examine},
        {"EXPUNGE", S::Selected, false, &ImapSession::expunge},
        {"FETCH", S::Selected, false, &ImapSession::fetch},
        {"GETACL", S::Authenticated, false, &ImapSession::getAcl},
        {"GETQUOTA", S::Authenticated, false, &ImapSession::getQuota},
        {"GETQUOTAROOT", S::Authenticated, false, &ImapSession::getQuotaRoot},
        {"ID", S::NotAuthenticated, false, &ImapSession::id},
        {"IDLE", S::Authenticated, false, &ImapSession::idle},
        {"LIST", S::Authenticated, false, &ImapSession::list},
        {"LISTRIGHTS", S::Authenticated, false, &ImapSession::listRights},
        {"LOGIN", S::NotAuthenticated, true, &ImapSession::login},
        {"LOGOUT", S::NotAuthenticated, false, &ImapSession::logout},
        {"LSUB", S::Authenticated, false, &ImapSession::lsub},
        {"MOVE", S::Selected, false, &ImapSession::copyMessages},
        {"MYRIGHTS", S::Authenticated, false, &ImapSession::myRights},
        {"NAMESPACE", S::Authenticated, false, &ImapSession::namespaces},
        {"NOOP", S::NotAuthenticated, false, &ImapSession::noop},
        {"RENAME", S::Authenticated, false, &ImapSession::rename},
        {"SEARCH", S::Selected, false, &ImapSession::search},
        {"SELECT", S::Authenticated, false, &ImapSession::select},
        {"SETACL", S::Authenticated, false, &ImapSession::setAcl},
        {"SETQUOTA", S::Authenticated, false, &ImapSession::setQuota},
        {"SORT", S::Selected, false, &ImapSession::sort},
        {"STARTTLS", S::NotAuthenticated, true, &ImapSession::starttls},
        {"STATUS", S::Authenticated, false, &ImapSession::status},
        {"STORE", S::Selected, false, &ImapSession::store},
        {"SUBSCRIBE", S::Authenticated, false, &ImapSession::subscribe},
        {"THREAD", S::Selected, false, &ImapSession::thread},
        {"UID COPY", S::Selected, false, &ImapSession::copyMessages},
        {"UID EXPUNGE", S::Selected, false, &ImapSession::uidExpunge},
        {"UID FETCH", S::Selected, false, &ImapSession::fetch},
        {"UID MOVE", S::Selected, false, &ImapSession::copyMessages},
        {"UID SEARCH", S::Selected, false, &ImapSession::search},
        {"UID SORT", S::Selected, false, &ImapSession::sort},
        {"UID STORE", S::Selected, false, &ImapSession::store},
        {"UID THREAD", S::Selected, false, &ImapSession::thread},
        {"UNSELECT", S::Selected, false, &ImapSession::unselect},
        {"UNSUBSCRIBE", S::Authenticated, false, &ImapSession::unsubscribe},
    };
    return table;
}

ImapSession::ImapSession(QSslSocket* socket, const ProtocolServices& services, bool tlsActive, QObject* parent)
    : QObject(parent), m_services(services), m_tls(tlsActive)
{
    attachSocket(socket);
    // RFC 9051 §6.3.12: a message may be as large over IMAP as over SMTP (RFC 7889 APPENDLIMIT,
    // read once per connection), after login only.
    m_reader.setMaxAppendLiteral(m_services.settings->intValue(settingkeys::kSmtpMaxMessageSize));
    m_reader.setLargeAppendAllowed(false);
    // Issue 4: a large APPEND goes to the incoming directory as it arrives rather than into memory.
    m_reader.setSpill(kMaxLiteral, [this](QByteArrayView bytes, bool first) { return spillAppend(bytes, first); });
    m_client = normalisedClientAddress(socket->peerAddress());
    m_timer.setSingleShot(true);
    connect(&m_idlePoll, &QTimer::timeout, this, &ImapSession::pollIdle);
    connect(&m_timer, &QTimer::timeout, this,
            [this]
            {
                // RFC 9051 §5.4: the autologout timer; in the middle of a literal no line may be added.
                closeWith(m_phase == Phase::Sending ? QByteArray() : "* BYE Autologout; idle for too long\r\n"_ba);
            });
}

ImapSession::~ImapSession() = default;

void ImapSession::attachSocket(QSslSocket* socket)
{
    m_socket = socket;
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketBuffer);
    connect(m_socket, &QSslSocket::readyRead, this, &ImapSession::readInput);
    connect(m_socket, &QSslSocket::bytesWritten, this, &ImapSession::writeProgressed);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &ImapSession::writeProgressed);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this]
            {
                m_phase = Phase::Closed;
                deleteLater();
            });
}

void ImapSession::start()
{
    if (m_services.bans && m_services.bans->isBanned(m_client))
    {
        closeWith("* BYE [UNAVAILABLE] Too many failed logins from your address; try later\r\n"_ba);
        return;
    }
    // RFC 9051 §7.1.1: the greeting may carry the capabilities, saving a round trip.
    untagged("OK [CAPABILITY "_ba + capabilityList() + "] "_ba + m_services.hostname.toUtf8() +
             " ProMail IMAP ready"_ba);
    restartTimer();
    process();
}

void ImapSession::restartTimer()
{
    m_timer.start(std::chrono::seconds(m_services.settings->intValue(settingkeys::kImapIdleTimeout)));
}

void ImapSession::readInput()
{
    if (m_phase != Phase::Command && m_phase != Phase::Auth && m_phase != Phase::Idle)
        return; // the bytes wait in the socket, whose buffer is bounded
    restartTimer();
    process();
}

void ImapSession::pause()
{
    m_phase = Phase::Paused;
    m_timer.stop();
}

void ImapSession::resume()
{
    if (m_phase != Phase::Paused)
        return;
    m_phase = Phase::Command;
    restartTimer();
    QMetaObject::invokeMethod(this, &ImapSession::process, Qt::QueuedConnection);
}

void ImapSession::process()
{
    while (m_phase == Phase::Command || m_phase == Phase::Auth || m_phase == Phase::Idle)
    {
        if (writeBacklog() > kMaxWriteBacklog)
            return;
        if (m_phase == Phase::Auth || m_phase == Phase::Idle)
        {
            const qsizetype newline = m_input.indexOf('\n');
            if (newline < 0)
            {
                const QByteArray more = readSocket();
                if (!more.isEmpty())
                {
                    m_input += more;
                    continue;
                }
                if (m_input.size() > kMaxSaslLine)
                    closeWith(m_phase == Phase::Idle ? "* BYE Line too long\r\n"_ba
                                                     : "* BYE SASL response too long\r\n"_ba);
                return;
            }
            QByteArray line = m_input.left(newline);
            m_input.remove(0, newline + 1);
            if (line.endsWith('\r'))
                line.chop(1);
            if (m_phase == Phase::Idle)
                continueIdle(line);
            else
                continueAuth(line);
            continue;
        }
        const ImapCommandReader::Event event = m_reader.feed(m_input);
        switch (event)
        {
        case ImapCommandReader::Event::NeedMore:
        {
            // More is taken from the socket only when no whole command is waiting.
            const QByteArray more = readSocket();
            if (more.isEmpty())
                return;
            m_input += more;
            break;
        }
        case ImapCommandReader::Event::Continue:
            send("+ Ready for literal data\r\n"_ba);
            break;
        case ImapCommandReader::Event::LineTooLong:
            bad(m_reader.tag(), "Command line too long"_ba);
            break;
        case ImapCommandReader::Event::LiteralTooLarge:
            if (m_reader.nonSynchronizing())
            {
                // RFC 7888 §5: BAD [TOOBIG]; the literal's octets are on their way and could be read
                // as commands, so the session ends rather than guessing where the next command starts.
                send(m_reader.tag() +
                     " BAD [TOOBIG] Non-synchronizing literals hold at most 4096 octets (LITERAL-)\r\n"_ba);
                closeWith("* BYE [TOOBIG] Literal too large\r\n"_ba);
                return;
            }
            // RFC 9051 §7.1: refused before "+", so the client does not send the literal.
            send(m_reader.tag() + " NO [TOOBIG] Literal too large\r\n"_ba);
            break;
        case ImapCommandReader::Event::Command:
            processCommand(m_reader.command());
            break;
        }
    }
}

void ImapSession::processCommand(const QByteArray& line)
{
    ImapParser parser(line);
    Request request;
    request.parser = &parser;
    request.tag = parser.tag();
    parser.space();
    QByteArray name = parser.atom().toUpper();
    if (!parser.ok())
    {
        bad(request.tag.isEmpty() ? "*"_ba : request.tag, "Syntax error: "_ba + parser.error().toUtf8());
        return;
    }
    if (name == "UID")
    {
        parser.space();
        name = "UID "_ba + parser.atom().toUpper();
        request.uid = true;
        if (!parser.ok())
        {
            bad(request.tag, "Syntax error: "_ba + parser.error().toUtf8());
            return;
        }
    }
    request.name = name;
    for (const Command& entry : commands())
    {
        if (entry.name != name)
            continue;
        const bool valid =
            entry.onlyBeforeLogin ? m_state == State::NotAuthenticated : int(m_state) >= int(entry.minimum);
        if (!valid)
        {
            bad(request.tag, "Command not valid in this state"_ba);
            return;
        }
        (this->*entry.handler)(request);
        return;
    }
    bad(request.tag, "Unknown command"_ba);
}

void ImapSession::send(const QByteArray& bytes)
{
    if (m_phase == Phase::Closed || !m_socket)
        return;
    m_socket->write(compressed(bytes));
}

qint64 ImapSession::writeBacklog() const
{
    return m_socket ? m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() : 0;
}

void ImapSession::writeProgressed()
{
    if (m_phase == Phase::Sending)
        continueFetch();
    else
        process();
}

void ImapSession::untagged(const QByteArray& text)
{
    send("* "_ba + text + "\r\n"_ba);
}

void ImapSession::ok(const Request& request, const QByteArray& text)
{
    send(request.tag + " OK "_ba + text + "\r\n"_ba);
}

void ImapSession::no(const Request& request, const QByteArray& text)
{
    send(request.tag + " NO "_ba + text + "\r\n"_ba);
}

void ImapSession::bad(const QByteArray& tag, const QByteArray& text)
{
    QByteArray line = text;
    line.replace('\r', ' ').replace('\n', ' ');
    send((tag.isEmpty() ? "*"_ba : tag) + " BAD "_ba + line + "\r\n"_ba);
}

bool ImapSession::requireEnd(Request& request)
{
    request.parser->end();
    if (request.parser->ok())
        return true;
    bad(request.tag, "Syntax error: "_ba + request.parser->error().toUtf8());
    return false;
}

void ImapSession::closeWith(const QByteArray& line)
{
    if (!line.isEmpty())
        send(line);
    m_phase = Phase::Closed;
    m_timer.stop();
    m_idlePoll.stop();
    m_input.clear();
    m_pending.clear();
    m_fetch.reset();
    m_file.close();
    m_mapped = nullptr;
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
