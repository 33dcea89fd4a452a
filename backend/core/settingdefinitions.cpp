#include "core/settingdefinitions.h"

using namespace Qt::StringLiterals;

namespace promail
{

QString settingTypeName(SettingType type)
{
    switch (type)
    {
    case SettingType::Bool:
        return u"bool"_s;
    case SettingType::Int:
        return u"int"_s;
    case SettingType::String:
        return u"string"_s;
    case SettingType::Duration:
        return u"duration"_s;
    case SettingType::Size:
        return u"size"_s;
    }
    return u"string"_s;
}

const QList<SettingDefinition>& SettingDefinitions::all()
{
    // Keep alphabetical by key. Every key here has a row in docs/configuration.md.
    static const QList<SettingDefinition> definitions{
        {settingkeys::kAuthBanDuration, SettingType::Duration, 3600,
         u"How long a client address is refused after too many failed logins, in seconds."_s, 60, 30 * 86400},
        {settingkeys::kAuthFailureWindow, SettingType::Duration, 600,
         u"The time window, in seconds, over which failed logins from one address are counted."_s, 10, 86400},
        {settingkeys::kAuthMaxFailures, SettingType::Int, 10,
         u"Failed logins from one address within the window before it is banned (SMTP, IMAP, POP3, "
         "ManageSieve and the admin API share the count)."_s,
         1, 1000},
        {settingkeys::kAliasMaxDepth, SettingType::Int, 10,
         u"How many aliases (or lists) may lead to one another before resolution gives up."_s, 1, 50},
        {settingkeys::kImapIdleTimeout, SettingType::Duration, 1800,
         u"Idle time allowed between IMAP commands, in seconds (RFC 9051 §5.4: at least 30 minutes)."_s, 1800, 7200},
        {settingkeys::kImapMaxConnectionsPerUser, SettingType::Int, 20,
         u"Most IMAP sessions one mailbox may have logged in at once; one more login gets NO [LIMIT] "
         "(RFC 5530)."_s,
         1, 1000},
        {settingkeys::kPasswordMinLength, SettingType::Int, 8,
         u"Shortest password accepted for a mailbox (imported hashes are not checked)."_s, 1, 128},
        {settingkeys::kPop3CommandTimeout, SettingType::Duration, 600,
         u"Idle time allowed between POP3 commands, in seconds (RFC 1939 §3: at least 10 minutes)."_s, 600, 7200},
        {settingkeys::kPop3MaxErrors, SettingType::Int, 10,
         u"Erroneous POP3 commands and failed logins tolerated in one session before it is disconnected."_s, 1, 1000},
        {settingkeys::kSmtpCommandTimeout, SettingType::Duration, 300,
         u"Idle time allowed between SMTP commands, in seconds (RFC 5321 §4.5.3.2.7: at least 5 minutes)."_s, 30, 3600},
        {settingkeys::kSmtpDataTimeout, SettingType::Duration, 600,
         u"Time allowed between two blocks of message data, in seconds (RFC 5321 §4.5.3.2.5: 3 minutes at least)."_s,
         30, 3600},
        {settingkeys::kSmtpMaxErrors, SettingType::Int, 10,
         u"Erroneous SMTP commands tolerated in one session before it is disconnected."_s, 1, 1000},
        {settingkeys::kSmtpMaxMessageSize, SettingType::Size, 50 * 1024 * 1024,
         u"Largest message accepted over SMTP (announced with the EHLO SIZE keyword, RFC 1870) and by IMAP "
         "APPEND, in bytes."_s,
         64 * 1024, qint64(2) * 1024 * 1024 * 1024},
        {settingkeys::kSmtpMaxRecipients, SettingType::Int, 100,
         u"Most recipients of one message; more get 452 4.5.3 (RFC 5321 §4.5.3.1.8)."_s, 1, 10000},
    };
    return definitions;
}

const SettingDefinition* SettingDefinitions::find(const QString& key)
{
    for (const SettingDefinition& definition : all())
    {
        if (definition.key == key)
            return &definition;
    }
    return nullptr;
}

Result<QJsonValue> SettingDefinition::validate(const QJsonValue& input) const
{
    const QString field = u"value"_s;
    switch (type)
    {
    case SettingType::Bool:
    {
        if (input.isBool())
            return input;
        const QString text = input.toString().trimmed().toLower();
        if (text == u"true" || text == u"yes" || text == u"on" || text == u"1")
            return QJsonValue(true);
        if (text == u"false" || text == u"no" || text == u"off" || text == u"0")
            return QJsonValue(false);
        return Error::invalid(field, u"%1 takes true or false"_s.arg(key));
    }
    case SettingType::Int:
    case SettingType::Duration:
    case SettingType::Size:
    {
        qint64 number = 0;
        if (input.isDouble())
        {
            const double d = input.toDouble();
            if (d != static_cast<double>(static_cast<qint64>(d)))
                return Error::invalid(field, u"%1 takes a whole number"_s.arg(key));
            number = static_cast<qint64>(d);
        }
        else
        {
            bool ok = false;
            number = input.toString().trimmed().toLongLong(&ok);
            if (!ok)
                return Error::invalid(field, u"%1 takes a whole number"_s.arg(key));
        }
        if (number < minimum || number > maximum)
            return Error::invalid(field, u"%1 must be between %2 and %3"_s.arg(key).arg(minimum).arg(maximum));
        return QJsonValue(number);
    }
    case SettingType::String:
        if (!input.isString())
            return Error::invalid(field, u"%1 takes a string"_s.arg(key));
        if (input.toString().size() > maximum)
            return Error::invalid(field, u"%1 is longer than %2 characters"_s.arg(key).arg(maximum));
        return input;
    }
    return Error::internal(u"unknown setting type"_s);
}

} // namespace promail
