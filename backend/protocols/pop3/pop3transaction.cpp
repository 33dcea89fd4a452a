// Pop3Session: the TRANSACTION state (RFC 1939 §5, TOP and UIDL of §7) and the UPDATE state
// (§6), where the messages marked deleted are removed — only there, after QUIT.
#include "core/logging.h"
#include "directory/directorycontext.h"
#include "mailstore/folderindex.h"
#include "protocols/pop3/pop3session.h"

#include <QPointer>
#include <QSslSocket>
#include <QThread>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// The expunge at QUIT writes to the database and syncs directories: off the worker's event loop,
// on long-lived threads that keep their database connection.
QThreadPool& updateThreads()
{
    static QThreadPool* pool = []
    {
        auto* threads = new QThreadPool;
        threads->setExpiryTimeout(-1);
        threads->setMaxThreadCount(2);
        return threads;
    }();
    return *pool;
}
} // namespace

std::optional<qint64> Pop3Session::messageArgument(const Pop3Command& command, const QString& syntax)
{
    const std::optional<qint64> number = Pop3Command::number(command.arguments.value(0));
    if (!number)
    {
        err(u"Syntax: "_s + syntax);
        return std::nullopt;
    }
    // RFC 1939 §5: a message marked deleted may not be referred to; neither answer is a protocol error.
    if (m_maildrop.isDeleted(*number))
    {
        err(u"Message %1 already deleted"_s.arg(*number), false);
        return std::nullopt;
    }
    if (!m_maildrop.message(*number))
    {
        err(u"No such message; the maildrop has %1"_s.arg(m_maildrop.highestNumber()), false);
        return std::nullopt;
    }
    return number;
}

void Pop3Session::stat(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: STAT"_s);
        return;
    }
    // RFC 1939 §5: "+OK nn mm", the messages not marked deleted and their octets.
    ok(u"%1 %2"_s.arg(m_maildrop.count()).arg(m_maildrop.size()));
}

void Pop3Session::list(const Pop3Command& command)
{
    if (command.arguments.size() > 1)
    {
        err(u"Syntax: LIST [message]"_s);
        return;
    }
    if (command.arguments.size() == 1)
    {
        if (const auto number = messageArgument(command, u"LIST [message]"_s))
            ok(u"%1 %2"_s.arg(*number).arg(m_maildrop.message(*number)->size));
        return;
    }
    QList<QByteArray> lines;
    for (qint64 number = 1; number <= m_maildrop.highestNumber(); ++number)
    {
        if (const FolderMessage* message = m_maildrop.message(number))
            lines.append(QByteArray::number(number) + ' ' + QByteArray::number(message->size));
    }
    okLines(u"%1 messages (%2 octets)"_s.arg(m_maildrop.count()).arg(m_maildrop.size()), lines);
}

void Pop3Session::uidl(const Pop3Command& command)
{
    if (command.arguments.size() > 1)
    {
        err(u"Syntax: UIDL [message]"_s);
        return;
    }
    if (command.arguments.size() == 1)
    {
        if (const auto number = messageArgument(command, u"UIDL [message]"_s))
            ok(QString::number(*number) + u' ' + QString::fromLatin1(m_maildrop.uniqueId(*number)));
        return;
    }
    QList<QByteArray> lines;
    for (qint64 number = 1; number <= m_maildrop.highestNumber(); ++number)
    {
        if (m_maildrop.message(number))
            lines.append(QByteArray::number(number) + ' ' + m_maildrop.uniqueId(number));
    }
    okLines(u"Unique-id listing follows"_s, lines);
}

void Pop3Session::retr(const Pop3Command& command)
{
    if (command.arguments.size() != 1)
    {
        err(u"Syntax: RETR message"_s);
        return;
    }
    if (const auto number = messageArgument(command, u"RETR message"_s))
        sendMessage(*number, -1);
}

void Pop3Session::top(const Pop3Command& command)
{
    const std::optional<qint64> lines = Pop3Command::number(command.arguments.value(1));
    if (command.arguments.size() != 2 || !lines)
    {
        err(u"Syntax: TOP message lines"_s);
        return;
    }
    if (const auto number = messageArgument(command, u"TOP message lines"_s))
        sendMessage(*number, *lines);
}

void Pop3Session::dele(const Pop3Command& command)
{
    if (command.arguments.size() != 1)
    {
        err(u"Syntax: DELE message"_s);
        return;
    }
    if (const auto number = messageArgument(command, u"DELE message"_s))
    {
        m_maildrop.markDeleted(*number);
        ok(u"Message %1 deleted"_s.arg(*number));
    }
}

void Pop3Session::noop(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: NOOP"_s);
        return;
    }
    ok({});
}

void Pop3Session::rset(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: RSET"_s);
        return;
    }
    m_maildrop.unmarkAll();
    ok(u"Maildrop has %1 messages (%2 octets)"_s.arg(m_maildrop.count()).arg(m_maildrop.size()));
}

void Pop3Session::quit(const Pop3Command& command)
{
    if (!command.arguments.isEmpty())
    {
        err(u"Syntax: QUIT"_s);
        return;
    }
    if (m_state == State::Authorization)
    {
        closeWith("+OK Bye\r\n"_ba); // RFC 1939 §4: no UPDATE state without a login
        return;
    }
    update();
}

void Pop3Session::sendMessage(qint64 number, qint64 bodyLines)
{
    const FolderMessage* message = m_maildrop.message(number);
    if (const Status opened = m_reader.open(message->path); !opened)
    {
        qCWarning(lcPop3).noquote() << "cannot send message" << number << "of" << m_mailbox->address() << ":"
                                    << opened.error().message;
        // RFC 3206: SYS/PERM when the message is gone for good, SYS/TEMP for a passing fault.
        err(opened.error().code == ErrorCode::NotFound ? u"[SYS/PERM] Message %1 no longer exists"_s.arg(number)
                                                       : u"[SYS/TEMP] Cannot read message %1"_s.arg(number),
            false);
        return;
    }
    // RFC 1939 §5 RETR / §7 TOP: the size is that of the stored file, whose lines end in CRLF.
    ok(bodyLines < 0 ? u"%1 octets"_s.arg(message->size) : u"Top of message %1 follows"_s.arg(number));
    m_stuffer.emplace(bodyLines);
    m_phase = Phase::Sending;
    continueSending();
}

void Pop3Session::continueSending()
{
    if (m_phase != Phase::Sending || !m_socket || !m_stuffer)
        return;
    restartTimer(); // the autologout timer measures a client that stops reading, too
    // Only as much as the socket can take soon: a large message never sits whole in memory.
    while (writeBacklog() < 2 * kSendChunk)
    {
        const auto piece = m_stuffer->isDone() ? Result<QByteArray>(QByteArray()) : m_reader.read(kSendChunk);
        if (!piece)
        {
            // The "+OK" is out: without the terminating "." the client knows the response failed.
            qCWarning(lcPop3).noquote() << piece.error().message;
            closeWith({});
            return;
        }
        if (piece->isEmpty())
        {
            send(m_stuffer->finish());
            m_stuffer.reset();
            m_reader.close();
            m_phase = Phase::Command;
            // Go on with pipelined commands once this response has been written out.
            QMetaObject::invokeMethod(this, &Pop3Session::process, Qt::QueuedConnection);
            return;
        }
        send(m_stuffer->feed(*piece));
    }
}

void Pop3Session::update()
{
    // RFC 1939 §6: QUIT in TRANSACTION enters UPDATE; only now are the marked messages removed.
    m_state = State::Update;
    const QList<qint64> uids = m_maildrop.deletedUids();
    const qsizetype left = m_maildrop.count();
    if (uids.isEmpty())
    {
        closeWith("+OK Bye; "_ba + QByteArray::number(left) + " messages left\r\n"_ba);
        return;
    }
    pause();
    QPointer<Pop3Session> guard(this);
    // The answer goes to the worker's context object, which outlives every session of its thread;
    // `guard` is read only there (see Authenticator::verify).
    QObject* context = parent() ? parent() : this;
    const DirectoryContext* directory = m_services.directory;
    const std::shared_ptr<MaildropLock> lock = m_lock; // held until the rows are gone
    const qint64 mailboxId = m_mailbox->id;
    const qint64 folderId = m_maildrop.folderId();
    const QString address = m_mailbox->address();
    // `lock` is named so that the job holds it: an implicit capture would leave it out.
    updateThreads().start(
        [guard, context, directory, lock, mailboxId, folderId, uids, address, left]
        {
            const auto expunged = FolderIndex(directory->database, directory->paths).expunge(mailboxId, folderId, uids);
            if (expunged)
                qCInfo(lcPop3).noquote() << address << "deleted" << expunged->uids.size() << "messages";
            else
                qCWarning(lcPop3).noquote()
                    << "cannot delete messages of" << address << ":" << expunged.error().message;
            const bool removed = expunged.ok();
            QMetaObject::invokeMethod(
                context,
                [guard, removed, left]
                {
                    if (!guard)
                        return;
                    Pop3Session& session = *guard;
                    if (removed)
                        session.closeWith("+OK Bye; "_ba + QByteArray::number(left) + " messages left\r\n"_ba);
                    else
                        // RFC 1939 §6: "-ERR some deleted messages not removed".
                        session.closeWith("-ERR [SYS/TEMP] Some deleted messages not removed\r\n"_ba);
                },
                Qt::QueuedConnection);
        });
}

} // namespace promail
