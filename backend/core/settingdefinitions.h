#pragma once

#include "core/result.h"

#include <QJsonValue>
#include <QList>
#include <QString>

namespace promail
{

enum class SettingType
{
    Bool,
    Int,
    String,
    Duration, // seconds
    Size,     // bytes
};

QString settingTypeName(SettingType type);

// One run-time tunable: declared once here with its default and bounds, stored in the
// database when changed, documented in docs/configuration.md (a test keeps the two in step).
struct SettingDefinition
{
    QString key;
    SettingType type = SettingType::Int;
    QJsonValue defaultValue;
    QString description;
    qint64 minimum = 0;
    qint64 maximum = std::numeric_limits<qint64>::max();

    // Checks a value given by an admin. Strings are parsed for bool and numeric types
    // ("true", "42"), since the CLI and forms send text. Returns the canonical JSON value.
    Result<QJsonValue> validate(const QJsonValue& input) const;
};

class SettingDefinitions
{
public:
    static const QList<SettingDefinition>& all();
    static const SettingDefinition* find(const QString& key);
};

// The keys the code reads, so a typo is a compile error rather than a silent default.
namespace settingkeys
{
inline const QString kAliasMaxDepth = QStringLiteral("directory.alias_max_depth");
inline const QString kAuthBanDuration = QStringLiteral("auth.ban_duration");
inline const QString kAuthFailureWindow = QStringLiteral("auth.failure_window");
inline const QString kAuthMaxFailures = QStringLiteral("auth.max_failures");
inline const QString kImapIdleTimeout = QStringLiteral("imap.idle_timeout");
inline const QString kImapMaxConnectionsPerUser = QStringLiteral("imap.max_connections_per_user");
inline const QString kPasswordMinLength = QStringLiteral("password.min_length");
inline const QString kPop3CommandTimeout = QStringLiteral("pop3.command_timeout");
inline const QString kPop3MaxErrors = QStringLiteral("pop3.max_errors");
inline const QString kSmtpCommandTimeout = QStringLiteral("smtp.command_timeout");
inline const QString kSmtpDataTimeout = QStringLiteral("smtp.data_timeout");
inline const QString kSmtpMaxErrors = QStringLiteral("smtp.max_errors");
inline const QString kSmtpMaxMessageSize = QStringLiteral("smtp.max_message_size");
inline const QString kSmtpMaxRecipients = QStringLiteral("smtp.max_recipients");
} // namespace settingkeys

} // namespace promail
