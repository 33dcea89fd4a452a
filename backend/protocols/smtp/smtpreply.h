#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace promail
{

// One SMTP reply (RFC 5321 §4.2) with its RFC 3463 enhanced status code (RFC 2034), e.g.
// {250, "2.1.0", "Ok"} → "250 2.1.0 Ok\r\n". Several lines become "250-…" continuation lines.
struct SmtpReply
{
    int code = 250;
    QByteArray enhanced; // "" for replies RFC 2034 gives none (220 greeting, 221 is allowed one, 354)
    QStringList lines;

    SmtpReply(int replyCode, QByteArray enhancedCode, QString text)
        : code(replyCode), enhanced(std::move(enhancedCode)), lines{std::move(text)}
    {
    }
    SmtpReply(int replyCode, QByteArray enhancedCode, QStringList text)
        : code(replyCode), enhanced(std::move(enhancedCode)), lines(std::move(text))
    {
    }

    bool isPositive() const { return code < 400; }
    bool isTransient() const { return code >= 400 && code < 500; }
    QByteArray toWire() const;
};

} // namespace promail
