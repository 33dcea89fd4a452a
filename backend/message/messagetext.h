#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <optional>

namespace promail
{

class HeaderBlock;
class MimeTree;

// The text of a message as a reader sees it, for IMAP SEARCH (RFC 9051 §6.4.4: "strings are
// matched ... in the decoded form"): header values with their RFC 2047 encoded-words decoded,
// and the text parts of the body with their Content-Transfer-Encoding undone and their charset
// converted to Unicode.
namespace MessageText
{

// One header field value, unfolded, with encoded-words decoded.
QString headerValue(QByteArrayView value);

// A Date: field value (RFC 5322 §3.3) with its own offset, or nothing when it cannot be read. A
// trailing comment such as "(UTC)" is ignored.
std::optional<QDateTime> dateField(QByteArrayView value);

// Every field of the header section, "Name: decoded value" per line.
QString header(const HeaderBlock& block);

// The body of one part with its Content-Transfer-Encoding undone (TransferEncoding); an unknown
// encoding leaves the body as it is.
QByteArray decodeTransferEncoding(QByteArrayView body, QByteArrayView encoding);

// Bytes in a MIME charset (RFC 2046 §4.1.2) as Unicode; UTF-8 when the charset is unknown.
QString decodeCharset(QByteArrayView bytes, const QString& charset);

// The decoded text of every text/* leaf of the message (including those of embedded
// messages), joined by line breaks. Non-text parts are left out.
QString body(QByteArrayView message, const MimeTree& tree);

} // namespace MessageText

} // namespace promail
