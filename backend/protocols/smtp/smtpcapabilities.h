#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

enum class SmtpMode
{
    Mta,         // port 25: mail from other servers; no AUTH
    Submission,  // port 587: STARTTLS, AUTH after TLS (RFC 6409)
    Submissions, // port 465: implicit TLS (RFC 8314)
};

// One EHLO keyword with the standard that defines it (STYLE.md §5: capabilities are data; the
// EHLO reply and docs/rfc-compliance.md are derived from this table).
struct SmtpCapability
{
    QByteArray keyword; // "SIZE", "AUTH", ...; the parameters are added by the session
    QString rfc;        // "RFC 1870"
    QString summary;
};

const QList<SmtpCapability>& smtpCapabilities();

} // namespace promail
