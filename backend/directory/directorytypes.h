#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace promail
{

// The mail directory's records (docs/admin-api.md describes their wire form). Inputs carry
// std::optional fields: unset means "leave as is" on update and "use the default" on create.

struct Domain
{
    qint64 id = 0;
    QString name;        // A-label
    QString nameUnicode; // U-label
    QString description;
    bool active = true;
    int maxMailboxes = 0; // 0 = unlimited
    int maxAliases = 0;   // 0 = unlimited
    qint64 quotaMib = 0;  // total for all mailboxes; 0 = unlimited
    qint64 defaultQuotaMib = 0;
    qint64 maxQuotaMib = 0; // per mailbox; 0 = unlimited
    QString postmaster;     // where postmaster@ and abuse@ deliver; empty until set
    QStringList catchAll;
    int mailboxCount = 0;
    int aliasCount = 0;
    qint64 allocatedQuotaMib = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct DomainInput
{
    QString name;
    std::optional<QString> description;
    std::optional<bool> active;
    std::optional<int> maxMailboxes;
    std::optional<int> maxAliases;
    std::optional<qint64> quotaMib;
    std::optional<qint64> defaultQuotaMib;
    std::optional<qint64> maxQuotaMib;
    std::optional<QString> postmaster;
    std::optional<QStringList> catchAll;
};

struct DomainAlias
{
    qint64 id = 0;
    QString name;
    QString nameUnicode;
    QString target;
    bool active = true;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct DomainAliasInput
{
    QString name;
    std::optional<QString> target;
    std::optional<bool> active;
};

// What to do with mail that carries a +tag (seed 001 "Subaddresses").
enum class TaggedMail
{
    Inbox,   // deliver to INBOX
    Folder,  // deliver to a folder named after the tag
    Subject, // deliver to INBOX with "[tag] " before the subject
};

QString taggedMailName(TaggedMail mode);
std::optional<TaggedMail> taggedMailFromName(const QString& name);

struct Mailbox
{
    qint64 id = 0;
    qint64 domainId = 0;
    QString localPart;
    QString domain;
    QString displayName;
    QString passwordHash;
    qint64 quotaMib = 0;      // 0 = unlimited
    qint64 quotaMessages = 0; // RFC 9208 §5.2 MESSAGE; 0 = unlimited
    bool active = true;
    bool imap = true;
    bool pop3 = false;
    bool smtp = true;
    bool sieve = true;
    TaggedMail taggedMail = TaggedMail::Inbox;
    bool allowMasquerade = false; // may send as any address (seed 004 "masquerading")
    QDateTime createdAt;
    QDateTime updatedAt;

    QString address() const { return localPart + QLatin1Char('@') + domain; }
};

struct MailboxInput
{
    QString address;
    std::optional<QString> password;
    std::optional<QString> passwordHash;
    std::optional<QString> displayName;
    std::optional<qint64> quotaMib;
    std::optional<qint64> quotaMessages;
    std::optional<bool> active;
    std::optional<bool> imap;
    std::optional<bool> pop3;
    std::optional<bool> smtp;
    std::optional<bool> sieve;
    std::optional<TaggedMail> taggedMail;
    std::optional<bool> allowMasquerade;
};

struct Alias
{
    qint64 id = 0;
    QString localPart; // may contain '*' wildcards
    QString domain;
    QStringList destinations;
    bool active = true;
    bool system = false; // postmaster@ and abuse@: editable, never removed while the domain exists

    QString address() const { return localPart + QLatin1Char('@') + domain; }
    bool isWildcard() const { return localPart.contains(QLatin1Char('*')); }
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct AliasInput
{
    QString address;
    std::optional<QStringList> destinations;
    std::optional<bool> active;
};

struct MailingList
{
    qint64 id = 0;
    QString localPart;
    QString domain;
    QString description;
    QStringList members;
    bool membersOnly = false;
    bool active = true;
    QDateTime createdAt;
    QDateTime updatedAt;

    QString address() const { return localPart + QLatin1Char('@') + domain; }
};

struct MailingListInput
{
    QString address;
    std::optional<QStringList> members;
    std::optional<bool> membersOnly;
    std::optional<QString> description;
    std::optional<bool> active;
};

} // namespace promail
