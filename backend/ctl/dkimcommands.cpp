#include "commandcontext.h"
#include "commandhandlers.h"
#include "commandtable.h"

#include <QFile>
#include <QJsonArray>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

const QString kDomain = u"domain"_s;

// The line `dkim show` prints per key (issue 5 fixed point): record name, a space, the TXT value unsplit.
QString recordLine(const QJsonObject& key)
{
    return key.value(u"record_name"_s).toString() + u' ' + key.value(u"record_value"_s).toString();
}

int showKeys(CommandContext& context)
{
    const rpc::Response response = context.call(u"dkim.show"_s, context.params());
    if (response.error)
        return context.fail(response);
    if (context.output().isJson())
    {
        context.output().json(response.result);
        return ExitOk;
    }
    QStringList lines;
    for (const QJsonValue& key : response.result.toArray())
        lines << recordLine(key.toObject());
    if (!lines.isEmpty())
        Output::print(lines.join(u'\n'));
    return ExitOk;
}

// generate, rotate, import: the new key and the record to publish for it.
Handler newKey(const QString& method)
{
    return [method](CommandContext& context)
    {
        QJsonObject params = context.params();
        if (method == u"dkim.import"_s)
        {
            // The private key comes from standard input only: never argv or the process list.
            QFile input;
            if (!input.open(stdin, QIODevice::ReadOnly))
                return context.usageError(u"cannot read the private key from standard input"_s);
            const QByteArray pem = input.readAll();
            if (pem.trimmed().isEmpty())
                return context.usageError(u"give the private key (PEM) on standard input"_s);
            params.insert(u"private_key"_s, QString::fromUtf8(pem));
        }
        const rpc::Response response = context.call(method, params);
        if (response.error)
            return context.fail(response);
        const QJsonObject key = response.result.toObject();
        context.output().confirm(
            key, u"new DKIM key %1 for %2; publish this TXT record:\n%3"_s.arg(
                     key.value(u"selector"_s).toString(), key.value(kDomain).toString(), recordLine(key)));
        return int(ExitOk);
    };
}

int deleteKey(CommandContext& context)
{
    const rpc::Response response = context.call(u"dkim.delete"_s, context.params());
    if (response.error)
        return context.fail(response);
    context.output().confirm(response.result,
                             u"deleted DKIM key %1 of %2"_s.arg(context.argument(1), context.argument(0)));
    return ExitOk;
}

QList<Flag> kindFlags()
{
    return {Flag::choice(u"--algorithm"_s, u"algorithm"_s, {u"rsa"_s, u"ed25519"_s}),
            Flag::integer(u"--bits"_s, u"bits"_s)};
}

} // namespace

QList<Command> dkimCommands()
{
    using namespace handlers;
    const Argument domain{u"DOMAIN"_s, kDomain};
    const Argument selector{u"SELECTOR"_s, u"selector"_s};
    return {
        {u"dkim"_s, u"show"_s, {domain}, {}, showKeys},
        {u"dkim"_s, u"generate"_s, {domain}, kindFlags(), newKey(u"dkim.generate"_s)},
        {u"dkim"_s, u"rotate"_s, {domain}, kindFlags(), newKey(u"dkim.rotate"_s)},
        {u"dkim"_s,
         u"import"_s,
         {domain},
         {Flag::text(u"--selector"_s, u"selector"_s, u"S"_s)},
         newKey(u"dkim.import"_s),
         {{.flags = {u"--selector"_s}, .required = true}}},
        {u"dkim"_s,
         u"retire"_s,
         {domain, selector},
         {},
         change(u"dkim.retire"_s,
                u"retired DKIM key %1: it no longer signs; keep its DNS record until mail "
                "signed with it has been delivered"_s,
                u"record_name"_s)},
        {u"dkim"_s, u"delete"_s, {domain, selector}, {}, deleteKey},
    };
}

} // namespace promail
