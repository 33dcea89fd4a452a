#include "commandcontext.h"
#include "commandhandlers.h"
#include "commandtable.h"
#include "passwordreader.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

const QString kPasswordStdin = u"--password-stdin"_s;
const QString kPasswordHash = u"--password-hash"_s;

QList<Flag> mailboxFlags()
{
    return {
        Flag::text(u"--name"_s, u"name"_s, u"N"_s),
        Flag::integer(u"--quota-mib"_s, u"quota_mib"_s),
        Flag::integer(u"--quota-messages"_s, u"quota_messages"_s),
        Flag::toggle(kPasswordStdin),
        Flag::text(kPasswordHash, u"password_hash"_s, u"HASH"_s),
        Flag::boolean(u"--active"_s, u"active"_s),
        Flag::boolean(u"--imap"_s, u"imap"_s),
        Flag::boolean(u"--pop3"_s, u"pop3"_s),
        Flag::boolean(u"--smtp"_s, u"smtp"_s),
        Flag::boolean(u"--sieve"_s, u"sieve"_s),
        Flag::choice(u"--tagged-mail"_s, u"tagged_mail"_s, {u"inbox"_s, u"folder"_s, u"subject"_s}),
        Flag::boolean(u"--allow-masquerade"_s, u"allow_masquerade"_s),
    };
}

const QStringList kMailboxFields{
    u"address"_s,          u"domain"_s,     u"local_part"_s, u"name"_s, u"quota_mib"_s, u"quota_messages"_s,
    u"active"_s,           u"imap"_s,       u"pop3"_s,       u"smtp"_s, u"sieve"_s,     u"tagged_mail"_s,
    u"allow_masquerade"_s, u"created_at"_s, u"updated_at"_s,
};

// mailboxes.create / mailboxes.update, with the password read from stdin rather than argv.
Handler writeMailbox(const QString& method, const QString& message)
{
    return [method, message](CommandContext& context)
    {
        QJsonObject params = context.params();
        if (context.isGiven(kPasswordStdin))
        {
            const std::optional<QString> password = PasswordReader::readLine();
            if (!password)
                return context.usageError(u"--password-stdin: standard input is empty"_s);
            params.insert(u"password"_s, *password);
        }
        const rpc::Response response = context.call(method, params);
        if (response.error)
            return context.fail(response);
        const QString address = response.result.toObject().value(u"address"_s).toString(context.argument(0));
        context.output().confirm(response.result, message.arg(address));
        return int(ExitOk);
    };
}

int removeMailbox(CommandContext& context)
{
    const rpc::Response response = context.call(u"mailboxes.delete"_s, context.params());
    if (response.error)
        return context.fail(response);
    const QJsonValue archive = response.result.toObject().value(u"archived_to"_s);
    const QString message =
        archive.isString()
            ? u"removed mailbox %1; its mail was archived to %2"_s.arg(context.argument(0), archive.toString())
            : u"removed mailbox %1 and deleted its mail"_s.arg(context.argument(0));
    context.output().confirm(response.result, message);
    return ExitOk;
}

} // namespace

QList<Command> mailboxCommands()
{
    using namespace handlers;
    const Argument address{u"ADDR"_s, u"address"_s};
    const QList<Column> columns{
        {u"ADDRESS"_s, u"address"_s},
        {u"NAME"_s, u"name"_s},
        {u"QUOTA_MIB"_s, u"quota_mib"_s},
        {u"ACTIVE"_s, u"active"_s},
    };
    const QList<Flag> listFlags{
        Flag::text(u"--domain"_s, u"domain"_s, u"D"_s),
        Flag::text(u"--q"_s, u"q"_s, u"S"_s),
        Flag::integer(u"--limit"_s, u"limit"_s),
    };

    return {
        {u"mailbox"_s,
         u"add"_s,
         {address},
         mailboxFlags(),
         writeMailbox(u"mailboxes.create"_s, u"created mailbox %1"_s),
         {{.flags = {kPasswordStdin, kPasswordHash}, .required = true}}},
        {u"mailbox"_s, u"list"_s, {}, listFlags, list(u"mailboxes.list"_s, columns)},
        {u"mailbox"_s, u"show"_s, {address}, {}, show(u"mailboxes.get"_s, kMailboxFields)},
        {.resource = u"mailbox"_s,
         .verb = u"set"_s,
         .arguments = {address},
         .flags = mailboxFlags(),
         .run = writeMailbox(u"mailboxes.update"_s, u"updated mailbox %1"_s),
         .groups = {{.flags = {kPasswordStdin, kPasswordHash}, .required = false}},
         .needsChange = true},
        // Removing a mailbox must say what happens to its mail: there is deliberately no default.
        {u"mailbox"_s,
         u"remove"_s,
         {address},
         {Flag::toggle(u"--keep-mail"_s, u"keep_mail"_s, true),
          Flag::toggle(u"--delete-mail"_s, u"keep_mail"_s, false)},
         removeMailbox,
         {{.flags = {u"--keep-mail"_s, u"--delete-mail"_s}, .required = true}}},
    };
}

} // namespace promail
