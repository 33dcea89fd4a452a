// SmtpSession: MAIL and RCPT (RFC 5321 §4.1.1.2-3) with the extensions' parameters (RFC 1870
// SIZE, RFC 6152 BODY, RFC 6531 SMTPUTF8, RFC 3461 DSN), anti-spoofing and routing.
#include "core/logging.h"
#include "core/settingdefinitions.h"
#include "directory/liststore.h"
#include "directory/mailboxstore.h"
#include "directory/recipientresolver.h"
#include "mailstore/mailboxquota.h"
#include "policy/forwardinghosts.h"
#include "policy/senderpolicy.h"
#include "protocols/abnf/cursor.h"
#include "protocols/smtp/smtppath.h"
#include "protocols/smtp/smtpsession.h"
#include "shared/address.h"
#include "storage/database.h"
#include "storage/settingsstore.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

bool isAscii(const QString& text)
{
    for (QChar c : text)
    {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

} // namespace

bool SmtpSession::isLocalDomain(const QString& domain) const
{
    const DirectoryQueries queries(m_services.directory->database);
    const auto id = queries.domainId(domain);
    if (id && *id != 0)
        return true;
    const auto target = queries.domainAliasTarget(domain);
    return target && !target->isEmpty();
}

void SmtpSession::mail(Cursor& cursor)
{
    if (!requireGreeting())
        return;
    if (m_transaction)
    {
        fail(503, "5.5.1", u"Error: nested MAIL command"_s);
        return;
    }
    if (m_mode != SmtpMode::Mta && !m_user)
    {
        // RFC 6409 §4.3 / RFC 4954 §6: submission requires authentication.
        fail(530, "5.7.0", u"Authentication required"_s);
        return;
    }
    cursor.space();
    cursor.require("FROM:");
    cursor.skipSpaces();
    const QByteArray path = readPath(cursor);
    const QList<PathParameter> parameters = readParameters(cursor);
    if (!cursor.ok())
    {
        fail(501, "5.5.4", u"Syntax: MAIL FROM:<address>"_s);
        return;
    }

    auto transaction = std::make_unique<SmtpTransaction>();
    const qint64 maxSize = m_services.settings->intValue(settingkeys::kSmtpMaxMessageSize);
    for (const PathParameter& parameter : parameters)
    {
        if (!m_esmtp)
        {
            fail(555, "5.5.4", u"Unsupported option: "_s + QString::fromLatin1(parameter.keyword));
            return;
        }
        if (parameter.keyword == "SIZE" && parameter.hasValue)
        {
            Cursor number(parameter.value);
            transaction->declaredSize = number.number();
            number.end();
            if (!number.ok())
            {
                fail(501, "5.5.4", u"Bad SIZE parameter"_s);
                return;
            }
            if (transaction->declaredSize > maxSize)
            {
                // RFC 1870 §6.1.
                fail(552, "5.3.4", u"Message size exceeds fixed maximum message size"_s);
                return;
            }
        }
        else if (parameter.keyword == "BODY" &&
                 (parameter.value.toUpper() == "7BIT" || parameter.value.toUpper() == "8BITMIME"))
            continue;
        else if (parameter.keyword == "SMTPUTF8" && !parameter.hasValue)
            transaction->smtputf8 = true;
        else if (parameter.keyword == "RET" &&
                 (parameter.value.toUpper() == "FULL" || parameter.value.toUpper() == "HDRS"))
            transaction->ret = QString::fromLatin1(parameter.value.toUpper());
        else if (parameter.keyword == "ENVID" && parameter.hasValue && parameter.value.size() <= 100)
        {
            const auto envid = decodeXtext(parameter.value);
            if (!envid)
            {
                fail(501, "5.5.4", u"Bad ENVID parameter"_s);
                return;
            }
            transaction->envid = QString::fromLatin1(*envid);
        }
        else if (parameter.keyword == "AUTH" && parameter.hasValue)
            continue; // RFC 4954 §5: accepted; we do not relay the identity
        else
        {
            fail(555, "5.5.4", u"Unsupported option: "_s + QString::fromLatin1(parameter.keyword));
            return;
        }
    }

    const QString sender = QString::fromUtf8(path);
    if (!sender.isEmpty())
    {
        const ParsedAddress parsed = parseMailAddress(sender);
        if (!parsed.address)
        {
            fail(553, "5.1.7", u"<%1>: Sender address rejected: %2"_s.arg(sender, parsed.error));
            return;
        }
        if (!isAscii(parsed.address->localPart) && !transaction->smtputf8)
        {
            fail(553, "5.6.7", u"<%1>: non-ASCII address needs SMTPUTF8 (RFC 6531)"_s.arg(sender));
            return;
        }
        transaction->sender = parsed.address->toString();
    }

    if (m_user && !transaction->sender.isEmpty())
    {
        // The null reverse-path stays allowed: read receipts are sent with it (RFC 8098 §2.1);
        // the header From of such a message is still checked at the end of DATA.
        const auto allowed = SenderPolicy(*m_services.directory).mayUse(*m_user, transaction->sender);
        if (!allowed || !*allowed)
        {
            fail(553, "5.7.1", u"<%1>: Sender address rejected: not owned by user %2"_s.arg(sender, m_user->address()));
            return;
        }
    }
    else if (!m_user && !transaction->sender.isEmpty())
    {
        // Anti-spoofing: mail from our own domains must come authenticated (port 587/465), or
        // from a forwarding host the admin trusts (e.g. a backup MX).
        const QString domain = transaction->sender.mid(transaction->sender.lastIndexOf(u'@') + 1);
        const bool trusted = m_services.forwardingHosts && m_services.forwardingHosts->contains(m_client);
        if (isLocalDomain(domain) && !trusted)
        {
            fail(550, "5.7.1",
                 u"<%1>: Sender address rejected: not logged in; use port 587 with authentication"_s.arg(
                     transaction->sender));
            return;
        }
    }
    m_transaction = std::move(transaction);
    reply(250, "2.1.0", u"Ok"_s);
}

void SmtpSession::rcpt(Cursor& cursor)
{
    if (!m_transaction)
    {
        fail(503, "5.5.1", u"Error: need MAIL command"_s);
        return;
    }
    cursor.space();
    cursor.require("TO:");
    cursor.skipSpaces();
    const QByteArray path = readPath(cursor);
    const QList<PathParameter> parameters = readParameters(cursor);
    if (!cursor.ok() || path.isEmpty())
    {
        fail(501, "5.5.4", u"Syntax: RCPT TO:<address>"_s);
        return;
    }
    InboundRecipient recipient;
    for (const PathParameter& parameter : parameters)
    {
        if (parameter.keyword == "NOTIFY" && parameter.hasValue && m_esmtp)
        {
            const QByteArray value = parameter.value.toUpper();
            const QList<QByteArray> words = value.split(',');
            bool ok = !words.isEmpty();
            for (const QByteArray& word : words)
                ok = ok && (word == "SUCCESS" || word == "FAILURE" || word == "DELAY" ||
                            (word == "NEVER" && words.size() == 1));
            if (!ok)
            {
                fail(501, "5.5.4", u"Bad NOTIFY parameter"_s);
                return;
            }
            recipient.notify = QString::fromLatin1(value);
        }
        else if (parameter.keyword == "ORCPT" && parameter.hasValue && m_esmtp)
        {
            const qsizetype semicolon = parameter.value.indexOf(';');
            const auto address = decodeXtext(parameter.value.mid(semicolon + 1));
            if (semicolon <= 0 || !address || address->isEmpty())
            {
                fail(501, "5.5.4", u"Bad ORCPT parameter"_s);
                return;
            }
            recipient.orcpt = QString::fromLatin1(parameter.value.left(semicolon)) + u';' + QString::fromUtf8(*address);
        }
        else
        {
            fail(555, "5.5.4", u"Unsupported option: "_s + QString::fromLatin1(parameter.keyword));
            return;
        }
    }
    if (m_transaction->recipients.size() >= m_services.settings->intValue(settingkeys::kSmtpMaxRecipients))
    {
        // RFC 5321 §4.5.3.1.10: 452 makes the client retry the rest in a new transaction.
        reply(452, "4.5.3", u"Error: too many recipients"_s);
        return;
    }

    QString address = QString::fromUtf8(path);
    if (address.compare(u"postmaster"_s, Qt::CaseInsensitive) == 0)
    {
        // RFC 5321 §4.5.1: <postmaster> without a domain is always accepted.
        auto query = m_services.directory->database.run(
            u"SELECT name FROM domains ORDER BY (CASE WHEN ? LIKE '%' || name THEN 0 ELSE 1 END), name LIMIT 1"_s,
            {m_services.hostname});
        if (!query || !query->next())
        {
            reply(451, "4.3.0", u"<postmaster>: no local domain is configured yet"_s);
            return;
        }
        address = u"postmaster@"_s + query->value(0).toString();
    }
    const ParsedAddress parsed = parseMailAddress(address);
    if (!parsed.address)
    {
        fail(501, "5.1.3", u"<%1>: Recipient address rejected: %2"_s.arg(address, parsed.error));
        return;
    }
    if (!isAscii(parsed.address->localPart) && !m_transaction->smtputf8)
    {
        fail(553, "5.6.7", u"<%1>: non-ASCII address needs SMTPUTF8 (RFC 6531)"_s.arg(address));
        return;
    }
    recipient.address = parsed.address->toString();

    const auto resolution = RecipientResolver(*m_services.directory).resolve(recipient.address);
    if (!resolution)
    {
        reply(451, "4.3.0", u"<%1>: temporary lookup failure"_s.arg(address));
        return;
    }
    recipient.resolution = *resolution;
    switch (resolution->status)
    {
    case Resolution::Status::NotLocal:
        if (!m_user)
        {
            fail(554, "5.7.1", u"<%1>: Relay access denied"_s.arg(address));
            return;
        }
        recipient.resolution.external = {recipient.address};
        break;
    case Resolution::Status::Unknown:
        fail(550, "5.1.1", u"<%1>: Recipient address rejected: User unknown"_s.arg(address));
        return;
    case Resolution::Status::Inactive:
        fail(550, "5.2.1", u"<%1>: Recipient address rejected: mailbox disabled"_s.arg(address));
        return;
    case Resolution::Status::Ok:
        break;
    }

    // Lists open to members only (seed 004).
    for (const QString& listAddress : resolution->lists)
    {
        const auto list = ListStore(*m_services.directory).get(listAddress);
        if (!list || !list->membersOnly)
            continue;
        const QString sender = m_user ? m_user->address() : m_transaction->sender;
        if (!list->members.contains(sender, Qt::CaseInsensitive) &&
            !list->members.contains(m_transaction->sender, Qt::CaseInsensitive))
        {
            fail(550, "5.7.1", u"<%1>: only members may post to this list"_s.arg(address));
            return;
        }
    }

    // Quota at RCPT time with the declared size (RFC 1870 §4) and one more message (RFC 9208 §5.2):
    // a message that turns out larger is still delivered, so DATA never fails for one recipient.
    const MailboxStore mailboxes(*m_services.directory);
    for (const LocalRecipient& local : resolution->mailboxes)
    {
        const auto mailbox = mailboxes.get(local.address);
        if (!mailbox)
            continue;
        const Status allowed =
            checkMailboxQuota(m_services.directory->database, mailbox->id, m_transaction->declaredSize, 1);
        if (!allowed && isOverQuota(allowed.error()))
        {
            reply(452, "4.2.2", u"<%1>: Mailbox full"_s.arg(address));
            return;
        }
    }

    for (const InboundRecipient& existing : m_transaction->recipients)
    {
        if (existing.address.compare(recipient.address, Qt::CaseInsensitive) == 0)
        {
            reply(250, "2.1.5", u"Ok"_s); // a repeated RCPT: accepted once
            return;
        }
    }
    m_transaction->recipients.append(recipient);
    reply(250, "2.1.5", u"Ok"_s);
}

} // namespace promail
