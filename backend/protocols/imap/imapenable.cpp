// ImapSession: ENABLE (RFC 5161) and the mailbox names on the wire, which change with it:
// modified UTF-7 in IMAP4rev1 (RFC 3501 §5.1.3), UTF-8 once IMAP4rev2 is enabled (RFC 9051 §5.1).
#include "message/imapstring.h"
#include "protocols/imap/imapcapabilities.h"
#include "protocols/imap/imapsession.h"
#include "protocols/imap/modifiedutf7.h"

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::enable(Request& request)
{
    ImapParser& parser = *request.parser;
    QByteArrayList asked;
    do
    {
        parser.space();
        asked.append(parser.atom());
    } while (parser.ok() && parser.cursor().next() == ' ');
    if (!requireEnd(request))
        return;
    // RFC 9051 §6.3.1, RFC 5161 §3.1: only in the authenticated state, before any SELECT.
    if (m_state != State::Authenticated)
    {
        bad(request.tag, "ENABLE is only valid before a folder is selected"_ba);
        return;
    }
    // RFC 5161 §3.1: unknown extensions are ignored; ENABLED names those this command turned on.
    QByteArrayList enabled;
    for (const QByteArray& name : std::as_const(asked))
    {
        for (const ImapCapability& capability : imapCapabilities())
        {
            const QByteArray key = capability.name.toUpper();
            if (!capability.enableable || key != name.toUpper() || m_enabled.contains(key))
                continue;
            m_enabled.insert(key);
            enabled.append(capability.name);
        }
    }
    untagged(enabled.isEmpty() ? "ENABLED"_ba : "ENABLED "_ba + enabled.join(' '));
    ok(request, "ENABLE completed"_ba);
}

bool ImapSession::isEnabled(QByteArrayView extension) const
{
    return m_enabled.contains(extension.toByteArray());
}

QByteArray ImapSession::readMailbox(ImapParser& parser) const
{
    return decodeMailbox(parser, parser.mailboxName());
}

QByteArray ImapSession::decodeMailbox(ImapParser& parser, const QByteArray& wire) const
{
    if (!parser.ok())
        return {};
    if (isEnabled("IMAP4REV2"))
    {
        // RFC 9051 §5.1: UTF-8 names (a client may also still send modified UTF-7; it is taken literally).
        if (!QByteArrayView(wire).isValidUtf8())
            parser.cursor().fail(u"mailbox name is not valid UTF-8 (RFC 9051 §5.1)"_s);
        return wire;
    }
    const std::optional<QByteArray> name = ModifiedUtf7::decode(wire);
    if (!name)
    {
        parser.cursor().fail(u"mailbox name is not valid modified UTF-7 (RFC 3501 §5.1.3)"_s);
        return {};
    }
    return name->compare("INBOX", Qt::CaseInsensitive) == 0 ? "INBOX"_ba : *name;
}

QByteArray ImapSession::mailboxToWire(const QByteArray& name) const
{
    if (!isEnabled("IMAP4REV2"))
        return ImapString::string(ModifiedUtf7::encode(name));
    // RFC 9051 §9: a quoted string may carry UTF-8 (QUOTED-CHAR includes UTF8-2..4).
    if (name.contains('\r') || name.contains('\n') || name.contains('\0') || name.size() > ImapString::kMaxQuotedLength)
        return ImapString::string(name);
    QByteArray quoted = "\""_ba;
    for (const char c : name)
    {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

} // namespace promail
