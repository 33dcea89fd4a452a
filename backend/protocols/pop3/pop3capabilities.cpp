#include "protocols/pop3/pop3capabilities.h"

using namespace Qt::StringLiterals;

namespace promail
{

const QList<Pop3Capability>& pop3Capabilities()
{
    using Scope = Pop3CapabilityScope;
    static const QList<Pop3Capability> capabilities{
        {"TOP"_ba, Scope::Always, u"RFC 2449 §6.1"_s, u"TOP msg n: the header, the blank line and n body lines"_s},
        {"UIDL"_ba, Scope::Always, u"RFC 2449 §6.8"_s,
         u"unique ids \"<uidvalidity>-<uid>\" of the INBOX, stable across sessions"_s},
        {"RESP-CODES"_ba, Scope::Always, u"RFC 2449 §6.4"_s, u"[IN-USE], [SYS/TEMP] and [AUTH] response codes"_s},
        {"AUTH-RESP-CODE"_ba, Scope::Always, u"RFC 3206"_s,
         u"every failed login carries [AUTH] (credentials, POP3 access off, TLS needed) or [SYS/TEMP]"_s},
        {"PIPELINING"_ba, Scope::Always, u"RFC 2449 §6.6"_s,
         u"commands may be sent in groups; replies come in order"_s},
        {"STLS"_ba, Scope::BeforeTls, u"RFC 2595 §4"_s,
         u"TLS upgrade on the pop3 port; offered until used; the session starts again after it"_s},
        {"USER"_ba, Scope::BeforeLogin, u"RFC 2449 §6.2"_s,
         u"USER/PASS (RFC 1939 §7) with the full address; only over TLS"_s},
        {"SASL"_ba, Scope::BeforeLogin, u"RFC 5034"_s,
         u"AUTH PLAIN (RFC 4616) and LOGIN, with an initial response or after \"+ \"; only over TLS"_s},
    };
    return capabilities;
}

} // namespace promail
