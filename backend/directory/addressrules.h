#pragma once

#include "core/result.h"

#include <QStringList>

namespace promail
{

// An address in one of ProMail's own domains, lower-cased, domain as A-label.
struct LocalAddress
{
    QString localPart;
    QString domain;

    QString toString() const { return localPart + QLatin1Char('@') + domain; }
};

enum class AddressKind
{
    Mailbox,
    List,
    Alias, // may contain '*' wildcards
};

class AddressRules
{
public:
    static constexpr int kMaxLocalPart = 64; // RFC 5321 §4.5.3.1.1

    // Why `localPart` may not name a mailbox, list or alias; empty when it may.
    // Seed 001: letters, digits, '.' and '-' only; names ending in ".app" are reserved;
    // '+' is the sub-address separator.
    static QString localPartError(const QString& localPart, AddressKind kind);

    // Splits and checks an address of a mailbox/list/alias; `field` names the API parameter.
    static Result<LocalAddress> parse(const QString& input, AddressKind kind, const QString& field);

    // Checks destinations/members (local or external, RFC 5321 syntax); domains become A-labels.
    static Result<QStringList> parseDestinations(const QStringList& inputs, const QString& field, bool allowEmpty);

    // '*' matches zero or more characters (seed 001 "Mail aliases").
    static bool wildcardMatches(const QString& pattern, const QString& localPart);
};

} // namespace promail
