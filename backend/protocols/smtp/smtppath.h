#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace promail
{

class Cursor;

// One ESMTP parameter of MAIL or RCPT (RFC 5321 §4.1.2 esmtp-param): KEYWORD[=VALUE].
struct PathParameter
{
    QByteArray keyword; // upper case
    QByteArray value;
    bool hasValue = false;
};

// RFC 5321 §4.1.2 Path: "<" [A-d-l ":"] Mailbox ">", or "<>" for the null reverse-path.
// Returns the mailbox as written; a quoted local part may contain '>'. Errors go to the cursor.
QByteArray readPath(Cursor& cursor);

// The parameters after a path, each preceded by spaces.
QList<PathParameter> readParameters(Cursor& cursor);

// RFC 3461 §4: xtext, where "+" and two hex digits stand for one byte.
std::optional<QByteArray> decodeXtext(const QByteArray& text);

} // namespace promail
