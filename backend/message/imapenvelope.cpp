#include "message/imapenvelope.h"

#include "message/headerblock.h"
#include "message/imapaddresslist.h"
#include "message/imapstring.h"

#include <optional>

namespace promail
{

namespace
{

std::optional<QByteArray> field(const HeaderBlock& header, QByteArrayView name)
{
    if (!header.contains(name))
        return std::nullopt;
    return header.value(name);
}

QList<ImapAddress> addresses(const HeaderBlock& header, QByteArrayView name)
{
    return ImapAddressList::parse(header.value(name));
}

} // namespace

QByteArray ImapEnvelope::format(const HeaderBlock& header)
{
    const QList<ImapAddress> from = addresses(header, "From");
    QList<ImapAddress> sender = addresses(header, "Sender");
    QList<ImapAddress> replyTo = addresses(header, "Reply-To");
    // RFC 9051 §7.5.2: an absent or empty Sender or Reply-To is reported as the From value.
    if (sender.isEmpty())
        sender = from;
    if (replyTo.isEmpty())
        replyTo = from;

    QByteArray out;
    out += '(';
    out += ImapString::nstring(field(header, "Date"));
    out += ' ' + ImapString::nstring(field(header, "Subject"));
    out += ' ' + ImapAddressList::format(from);
    out += ' ' + ImapAddressList::format(sender);
    out += ' ' + ImapAddressList::format(replyTo);
    out += ' ' + ImapAddressList::format(addresses(header, "To"));
    out += ' ' + ImapAddressList::format(addresses(header, "Cc"));
    out += ' ' + ImapAddressList::format(addresses(header, "Bcc"));
    out += ' ' + ImapString::nstring(field(header, "In-Reply-To"));
    out += ' ' + ImapString::nstring(field(header, "Message-ID"));
    out += ')';
    return out;
}

} // namespace promail
