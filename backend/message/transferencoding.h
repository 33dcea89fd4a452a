#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace promail
{

// Decoding of a body's Content-Transfer-Encoding (RFC 2045 §6), as IMAP BINARY needs it
// (RFC 3516 §4.2). Decoding is lenient the way RFC 2045 asks readers to be: characters outside
// the base64 alphabet are ignored (§6.8), and a "=" that starts no valid escape stays as it is
// (§6.7 note 1).
class TransferEncoding
{
public:
    // 7bit, 8bit and binary: the bytes are their own decoding (RFC 2045 §6.2).
    static bool isIdentity(QByteArrayView mechanism);
    // The decoded bytes, or nothing for a mechanism not defined by RFC 2045 (x-token, garbage).
    static std::optional<QByteArray> decode(QByteArrayView body, QByteArrayView mechanism);
    static QByteArray decodeBase64(QByteArrayView text);
    static QByteArray decodeQuotedPrintable(QByteArrayView text);
    // The value of a hexadecimal digit in either case, or -1 (quoted-printable, RFC 2231 %XX).
    static int hexDigit(char c);
};

} // namespace promail
