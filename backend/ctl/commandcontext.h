#pragma once

#include "argumentparser.h"
#include "command.h"
#include "output.h"
#include "shared/rpc.h"

#include <QJsonObject>

namespace promail
{

class AdminConnection;

// What a command handler works with: its parsed arguments, the daemon and the terminal.
class CommandContext
{
public:
    CommandContext(const Command& command, ParsedArguments arguments, AdminConnection& connection,
                   const Output& output);
    Q_DISABLE_COPY_MOVE(CommandContext)

    const Command& command() const { return m_command; }
    const Output& output() const { return m_output; }
    const QJsonObject& params() const { return m_arguments.params; }
    QString argument(qsizetype index) const { return m_arguments.positionals.value(index); }
    bool isGiven(const QString& flag) const { return m_arguments.given.contains(flag); }

    rpc::Response call(const QString& method, const QJsonObject& params);

    // A list method's items: every page, following next_cursor, unless --limit asks for one page.
    // The result reads like a single page: {"items": [...], "next_cursor": ...}.
    rpc::Response list(const QString& method, const QJsonObject& params);

    int fail(const rpc::Response& response) const; // prints "error: ..."; returns ExitFailure
    int usageError(const QString& message) const;  // prints the usage hint; returns ExitUsage

private:
    const Command& m_command;
    ParsedArguments m_arguments;
    AdminConnection& m_connection;
    const Output& m_output;
};

} // namespace promail
