#include "protocols/imap/imaplistcommand.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// RFC 9051 §9 list-mailbox: 1*list-char / string; list-char holds the wildcards and "]".
QByteArray listMailbox(ImapParser& parser)
{
    if (parser.cursor().next() == '"' || parser.cursor().next() == '{')
        return parser.string();
    return parser.cursor().span(
        [](unsigned char c)
        { return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '"' && c != '\\'; },
        u"a mailbox pattern"_s);
}

// "(" [option *(SP option)] ")" with each option handed to `take`, which fails the parser on an
// option it does not know (RFC 5258 §3: BAD).
template <typename Take>
void optionList(ImapParser& parser, Take take)
{
    parser.cursor().require("(");
    if (parser.ok() && parser.present(")"))
        return;
    do
    {
        const QByteArray option = parser.atom().toUpper();
        if (parser.ok())
            take(option);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
}
} // namespace

QList<QByteArray> parseStatusItems(ImapParser& parser)
{
    static const QList<QByteArray> known{
        "APPENDLIMIT"_ba, "DELETED"_ba, "DELETED-STORAGE"_ba, "HIGHESTMODSEQ"_ba, "MESSAGES"_ba,
        "RECENT"_ba,      "SIZE"_ba,    "UIDNEXT"_ba,         "UIDVALIDITY"_ba,   "UNSEEN"_ba};
    QList<QByteArray> items;
    parser.cursor().require("(");
    do
    {
        const QByteArray item = parser.atom().toUpper();
        if (parser.ok() && !known.contains(item))
            parser.cursor().fail(u"unknown STATUS item"_s);
        if (parser.ok() && !items.contains(item))
            items.append(item);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    return items;
}

ImapListCommand ImapListCommand::parse(ImapParser& parser)
{
    ImapListCommand command;
    parser.space();
    bool selection = false;
    if (parser.ok() && parser.cursor().next() == '(')
    {
        // RFC 5258 §3 list-select-opts.
        command.extended = true;
        optionList(parser,
                   [&](const QByteArray& option)
                   {
                       if (option == "SUBSCRIBED")
                           command.selectSubscribed = command.returnSubscribed = selection = true;
                       else if (option == "SPECIAL-USE") // RFC 6154 §5.3
                           command.selectSpecialUse = selection = true;
                       else if (option == "RECURSIVEMATCH")
                           command.recursiveMatch = true;
                       else if (option != "REMOTE") // RFC 5258 §3: no remote mailboxes here
                           parser.cursor().fail(u"unknown LIST selection option"_s);
                   });
        parser.space();
    }
    // RFC 5258 §3: RECURSIVEMATCH needs another selection option to recurse on.
    if (parser.ok() && command.recursiveMatch && !selection)
        parser.cursor().fail(u"RECURSIVEMATCH needs another selection option"_s);
    command.reference = parser.astring();
    parser.space();
    if (parser.ok() && parser.cursor().next() == '(')
    {
        // RFC 5258 §3: a list of patterns.
        command.extended = true;
        parser.cursor().require("(");
        do
            command.patterns.append(listMailbox(parser));
        while (parser.ok() && parser.present(" "));
        parser.cursor().require(")");
    }
    else
        command.patterns.append(listMailbox(parser));
    if (parser.ok() && parser.present(" "))
    {
        // RFC 5258 §3 list-return-opts.
        command.extended = true;
        parser.cursor().require("RETURN ");
        optionList(parser,
                   [&](const QByteArray& option)
                   {
                       if (option == "SUBSCRIBED")
                           command.returnSubscribed = true;
                       else if (option == "SPECIAL-USE") // RFC 6154 §5.2
                           command.returnSpecialUse = true;
                       else if (option == "STATUS" && parser.present(" ")) // RFC 5819 §2
                           command.statusItems = parseStatusItems(parser);
                       else if (option != "CHILDREN") // always returned (RFC 3348, RFC 5258 §4)
                           parser.cursor().fail(u"unknown LIST return option"_s);
                   });
    }
    parser.end();
    return command;
}

bool ImapListCommand::wildcardMatch(QByteArrayView pattern, QByteArrayView name)
{
    // reached[j]: the pattern read so far matches the first j bytes of the name. One pass per
    // pattern byte keeps hostile patterns ("%*%*%*...") linear in the name's length.
    QList<bool> reached(name.size() + 1, false);
    reached[0] = true;
    for (const char c : pattern)
    {
        QList<bool> next(name.size() + 1, false);
        for (qsizetype j = 0; j <= name.size(); ++j)
        {
            if (c == '*')
                next[j] = reached[j] || (j > 0 && next[j - 1]);
            else if (c == '%')
                next[j] = reached[j] || (j > 0 && next[j - 1] && name[j - 1] != '/');
            else
                next[j] = j > 0 && reached[j - 1] && name[j - 1] == c;
        }
        reached = std::move(next);
    }
    return reached[name.size()];
}

bool ImapListCommand::matches(QByteArrayView name) const
{
    for (const QByteArray& pattern : patterns)
    {
        const QByteArray full = reference + pattern;
        // RFC 9051 §5.1: INBOX in any case; also as the first level ("inbox/%" lists INBOX's children).
        if (wildcardMatch(full, name) || (name == "INBOX" && wildcardMatch(full.toUpper(), name)))
            return true;
        if ((name == "INBOX" || name.startsWith("INBOX/")) && full.size() >= 5 &&
            full.first(5).compare("INBOX", Qt::CaseInsensitive) == 0 &&
            wildcardMatch(QByteArray("INBOX" + full.sliced(5)), name))
            return true;
    }
    return false;
}

} // namespace promail
