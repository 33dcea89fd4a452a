// ImapSession: ID (RFC 2971): the client says who it is (logged), the server answers with its
// name and version. Valid in every state (§3.1).
#include "message/imapstring.h"
#include "promail/version.h"
#include "protocols/imap/imapidcommand.h"
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

void ImapSession::id(Request& request)
{
    const ImapIdCommand command = ImapIdCommand::parse(*request.parser);
    if (!request.parser->ok())
    {
        bad(request.tag, "Syntax error: "_ba + request.parser->error().toUtf8());
        return;
    }
    QByteArrayList client;
    for (const ImapIdCommand::Field& field : command.fields)
        client.append(field.name + '=' + field.value.value_or("NIL"_ba));
    if (!client.isEmpty())
        qCInfo(lcImap) << "client" << m_client.toString() << "ID:" << QString::fromUtf8(client.join(", "));
    untagged("ID (\"name\" \"ProMail\" \"version\" "_ba + ImapString::string(QByteArray(kVersion)) + ')');
    ok(request, "ID completed"_ba);
}

} // namespace promail
