#include "protocols/imap/imapidcommand.h"

using namespace Qt::StringLiterals;

namespace promail
{

ImapIdCommand ImapIdCommand::parse(ImapParser& parser)
{
    ImapIdCommand command;
    parser.space();
    if (parser.present("NIL"))
    {
        parser.end();
        return command;
    }
    parser.cursor().require("(");
    do
    {
        Field field;
        field.name = parser.string();
        parser.space();
        field.value = parser.nstring();
        if (!parser.ok())
            break;
        if (field.name.size() > kMaxField || (field.value && field.value->size() > kMaxValue))
            parser.cursor().fail(u"an ID field longer than 30 or a value longer than 1024 octets"_s);
        else if (command.fields.size() == kMaxPairs)
            parser.cursor().fail(u"more than 30 ID field-value pairs"_s);
        for (const Field& earlier : std::as_const(command.fields))
        {
            if (parser.ok() && earlier.name.compare(field.name, Qt::CaseInsensitive) == 0)
                parser.cursor().fail(u"an ID field given twice"_s);
        }
        command.fields.append(field);
    } while (parser.ok() && parser.present(" "));
    parser.cursor().require(")");
    parser.end();
    if (!parser.ok())
        command.fields.clear();
    return command;
}

} // namespace promail
