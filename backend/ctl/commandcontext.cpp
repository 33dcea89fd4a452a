#include "commandcontext.h"

#include "adminconnection.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

CommandContext::CommandContext(const Command& command, ParsedArguments arguments, AdminConnection& connection,
                               const Output& output)
    : m_command(command), m_arguments(std::move(arguments)), m_connection(connection), m_output(output)
{
}

rpc::Response CommandContext::call(const QString& method, const QJsonObject& params)
{
    return m_connection.call(method, params);
}

rpc::Response CommandContext::list(const QString& method, const QJsonObject& params)
{
    if (params.contains(rpc::kLimit))
        return call(method, params);

    QJsonArray items;
    bool paged = false; // settings.list and tls.list answer in one piece, without next_cursor
    QSet<QString> seenCursors;
    QJsonObject pageParams = params;
    for (;;)
    {
        rpc::Response page = call(method, pageParams);
        if (page.error)
            return page;
        const QJsonObject result = page.result.toObject();
        for (const QJsonValue& item : result.value(rpc::kItems).toArray())
            items.append(item);
        paged = result.contains(rpc::kNextCursor);
        const QJsonValue next = result.value(rpc::kNextCursor);
        if (!next.isString() || next.toString().isEmpty())
            break;
        // A daemon bug that hands out the same cursor twice must not loop forever.
        if (seenCursors.contains(next.toString()))
        {
            page.error = ApiError::internal(u"promaild repeated the cursor '%1' of %2"_s.arg(next.toString(), method));
            return page;
        }
        seenCursors.insert(next.toString());
        pageParams.insert(rpc::kCursor, next);
    }
    QJsonObject all;
    all.insert(rpc::kItems, items);
    if (paged)
        all.insert(rpc::kNextCursor, QJsonValue::Null);
    return {QJsonValue::Null, all, std::nullopt};
}

int CommandContext::fail(const rpc::Response& response) const
{
    Output::error(response.error.value_or(ApiError::internal(u"no answer"_s)));
    return ExitFailure;
}

int CommandContext::usageError(const QString& message) const
{
    Output::usageError(message, m_command.usage());
    return ExitUsage;
}

} // namespace promail
