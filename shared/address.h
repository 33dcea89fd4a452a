#pragma once

#include <QString>

#include <optional>

namespace promail
{

// Syntax of domain names and mail addresses, shared by the daemon and its clients so that both
// reject the same input with the same words.

struct DomainName
{
    QString ascii;   // A-label form, lower case: what is stored and compared
    QString unicode; // U-label form: what is shown
};

struct ParsedDomain
{
    std::optional<DomainName> domain;
    QString error; // why it was refused, when domain is empty
};

// A host name of at least two labels; IDNA (UTS #46) maps Unicode input to A-labels.
// RFC 1035 §2.3.4 and RFC 5321 §4.5.3.1.2 give the length limits.
ParsedDomain parseDomainName(const QString& input);

struct MailAddress
{
    QString localPart; // as written (case kept; comparisons of local mailboxes lower-case it)
    QString domain;    // A-label, lower case

    QString toString() const { return localPart + QLatin1Char('@') + domain; }
};

struct ParsedAddress
{
    std::optional<MailAddress> address;
    QString error;
};

// RFC 5321 §4.1.2 Mailbox: Local-part "@" Domain, where Local-part is a Dot-string or a
// Quoted-string (at most 64 octets, §4.5.3.1.1). RFC 6531 UTF-8 local parts are accepted.
// Address literals are refused: ProMail routes by domain name.
ParsedAddress parseMailAddress(const QString& input);

} // namespace promail
