#include "commandhandlers.h"

#include "commandcontext.h"

using namespace Qt::StringLiterals;

namespace promail::handlers
{

Handler show(const QString& method, const QStringList& order)
{
    return [method, order](CommandContext& context)
    {
        const rpc::Response response = context.call(method, context.params());
        if (response.error)
            return context.fail(response);
        context.output().object(response.result.toObject(), order);
        return int(ExitOk);
    };
}

Handler list(const QString& method, const QList<Column>& columns)
{
    return [method, columns](CommandContext& context)
    {
        const rpc::Response response = context.list(method, context.params());
        if (response.error)
            return context.fail(response);
        const QJsonObject page = response.result.toObject();
        context.output().table(page, columns);
        if (!context.output().isJson() && page.value(rpc::kNextCursor).isString())
            Output::printError(u"(more items: raise --limit or leave it out to list all)"_s);
        return int(ExitOk);
    };
}

Handler change(const QString& method, const QString& message, const QString& nameKey)
{
    return [method, message, nameKey](CommandContext& context)
    {
        const rpc::Response response = context.call(method, context.params());
        if (response.error)
            return context.fail(response);
        const QString name = response.result.toObject().value(nameKey).toString(context.argument(0));
        context.output().confirm(response.result, message.arg(name));
        return int(ExitOk);
    };
}

} // namespace promail::handlers
