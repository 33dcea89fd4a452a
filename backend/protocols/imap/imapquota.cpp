// ImapSession: QUOTA (RFC 9208) with the resources STORAGE (§5.1, KiB) and MESSAGE (§5.2). Each
// mailbox has one quota root, "", over all its folders; the administrator sets the limits
// (promailctl mailbox set --quota-mib / --quota-messages), so SETQUOTA is refused.
#include "directory/directorycontext.h"
#include "mailstore/mailboxquota.h"
#include "message/imapstring.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

bool ImapSession::sendQuota(const Request& request)
{
    const auto quota = MailboxQuota::read(m_services.directory->database, m_mailbox->id);
    if (!quota)
    {
        qCWarning(lcImap).noquote() << "cannot read the quota:" << quota.error().message;
        no(request, "[SERVERBUG] Cannot read the quota"_ba);
        return false;
    }
    // RFC 9208 §5: "resource usage limit" for each resource that has a limit.
    QByteArrayList resources;
    if (quota->limitBytes > 0)
        resources.append("STORAGE "_ba + QByteArray::number((quota->usedBytes + 1023) / 1024) + ' ' +
                         QByteArray::number(quota->limitBytes / 1024));
    if (quota->limitMessages > 0)
        resources.append("MESSAGE "_ba + QByteArray::number(quota->usedMessages) + ' ' +
                         QByteArray::number(quota->limitMessages));
    untagged("QUOTA \"\" ("_ba + resources.join(' ') + ')');
    return true;
}

void ImapSession::getQuota(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray root = parser.astring();
    if (!requireEnd(request))
        return;
    if (!root.isEmpty())
    {
        no(request, "[NONEXISTENT] No such quota root; yours is \"\""_ba);
        return;
    }
    if (sendQuota(request))
        ok(request, "GETQUOTA completed"_ba);
}

void ImapSession::getQuotaRoot(Request& request)
{
    ImapParser& parser = *request.parser;
    parser.space();
    const QByteArray name = readMailbox(parser);
    if (!requireEnd(request))
        return;
    const auto folder = access(request, name, "");
    if (!folder)
        return;
    // RFC 9208 §4.1.2: a folder another mailbox shares counts for its owner's quota, a root this
    // user cannot read; it is listed without one.
    if (!folder->own)
    {
        untagged("QUOTAROOT "_ba + ImapString::string(name));
        ok(request, "GETQUOTAROOT completed"_ba);
        return;
    }
    untagged("QUOTAROOT "_ba + ImapString::string(name) + " \"\""_ba);
    if (sendQuota(request))
        ok(request, "GETQUOTAROOT completed"_ba);
}

void ImapSession::setQuota(Request& request)
{
    // RFC 9208 §4.1.3: SETQUOTA root (resource limit ...), checked for syntax, then refused.
    ImapParser& parser = *request.parser;
    parser.space();
    parser.astring();
    parser.space();
    parser.cursor().require("(");
    if (parser.ok() && !parser.present(")"))
    {
        do
        {
            parser.atom();
            parser.space();
            parser.cursor().number();
        } while (parser.ok() && parser.present(" "));
        parser.cursor().require(")");
    }
    if (!requireEnd(request))
        return;
    no(request, "[NOPERM] Quotas are set by the administrator"_ba);
}

} // namespace promail
