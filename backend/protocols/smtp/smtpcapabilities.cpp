#include "protocols/smtp/smtpcapabilities.h"

using namespace Qt::StringLiterals;

namespace promail
{

const QList<SmtpCapability>& smtpCapabilities()
{
    // In the order EHLO lists them.
    static const QList<SmtpCapability> capabilities{
        {"PIPELINING"_ba, u"RFC 2920"_s, u"command pipelining"_s},
        {"SIZE"_ba, u"RFC 1870"_s, u"message size declaration; the limit is the setting smtp.max_message_size"_s},
        {"8BITMIME"_ba, u"RFC 6152"_s, u"8-bit message bodies"_s},
        {"SMTPUTF8"_ba, u"RFC 6531"_s, u"UTF-8 addresses and headers"_s},
        {"ENHANCEDSTATUSCODES"_ba, u"RFC 2034, RFC 3463"_s, u"enhanced status codes on every reply that allows one"_s},
        {"CHUNKING"_ba, u"RFC 3030"_s, u"BDAT"_s},
        {"DSN"_ba, u"RFC 3461"_s, u"delivery status notification parameters (NOTIFY, ORCPT, RET, ENVID)"_s},
        {"STARTTLS"_ba, u"RFC 3207"_s,
         u"TLS upgrade; offered until used; commands pipelined before it are discarded"_s},
        {"AUTH"_ba, u"RFC 4954"_s, u"PLAIN (RFC 4616) and LOGIN, only on submission ports and only over TLS"_s},
    };
    return capabilities;
}

} // namespace promail
