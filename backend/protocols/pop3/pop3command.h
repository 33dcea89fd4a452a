#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace promail
{

// One POP3 command line without its CRLF (RFC 1939 §3, RFC 2449 §3): a case-insensitive keyword
// and arguments separated by spaces. PASS takes the rest of the line as its one argument, since
// a password may contain spaces (RFC 1939 §7).
struct Pop3Command
{
    QByteArray verb; // upper case
    QList<QByteArray> arguments;
    QString error; // not empty: the line is not a command

    bool ok() const { return error.isEmpty(); }

    static Pop3Command parse(QByteArrayView line);

    // A message number or line count: 1 to 10 decimal digits, nothing else.
    static std::optional<qint64> number(QByteArrayView text);
};

} // namespace promail
