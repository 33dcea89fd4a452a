#include "message/encodedword.h"

#include <QByteArray>
#include <QStringDecoder>

namespace promail
{

namespace
{

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2047 §2 token: printable ASCII except SPACE and especials. Charset names such as
// "ISO-8859-1" or "utf-8*en" (RFC 2231 §5 language suffix) are made of these.
bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127)
        return false;
    return QByteArrayView("()<>@,;:\"/[]?.=").indexOf(c) < 0;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// RFC 2047 §4.2 "Q": '_' is a space, "=XX" a byte in hex, everything else itself.
std::optional<QByteArray> decodeQ(QByteArrayView text)
{
    QByteArray bytes;
    bytes.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '_')
        {
            bytes.append(' ');
        }
        else if (c == '=')
        {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            bytes.append(static_cast<char>(high * 16 + low));
            i += 2;
        }
        else
        {
            bytes.append(c);
        }
    }
    return bytes;
}

// A white-space delimited word made only of encoded-words (some mailers leave out the space
// between them), decoded; nothing if any part of it is not a decodable encoded-word.
std::optional<QString> decodeWordRun(QByteArrayView word)
{
    QString decoded;
    qsizetype pos = 0;
    while (pos < word.size())
    {
        const qsizetype length = encodedWordLength(word, pos);
        if (length == 0)
            return std::nullopt;
        const std::optional<QString> part = decodeEncodedWord(word.sliced(pos, length));
        if (!part)
            return std::nullopt;
        decoded += *part;
        pos += length;
    }
    return decoded;
}

} // namespace

qsizetype encodedWordLength(QByteArrayView text, qsizetype pos)
{
    constexpr qsizetype kMaxCharsetLength = 64;
    const qsizetype size = text.size();
    if (pos + 1 >= size || text[pos] != '=' || text[pos + 1] != '?')
        return 0;
    qsizetype i = pos + 2;
    while (i < size && isTokenChar(text[i]) && i - pos - 2 < kMaxCharsetLength)
        ++i;
    if (i == pos + 2 || i + 2 >= size || text[i] != '?')
        return 0;
    const char encoding = text[i + 1];
    if (QByteArrayView("BbQq").indexOf(encoding) < 0 || text[i + 2] != '?')
        return 0;
    i += 3;
    while (i < size && text[i] != '?' && !isSpace(text[i]))
        ++i;
    if (i + 1 >= size || text[i] != '?' || text[i + 1] != '=')
        return 0;
    return i + 2 - pos;
}

std::optional<QString> decodeEncodedWord(QByteArrayView word)
{
    if (encodedWordLength(word, 0) != word.size())
        return std::nullopt;
    const qsizetype charsetEnd = word.indexOf('?', 2);
    QByteArray charset = word.sliced(2, charsetEnd - 2).toByteArray();
    // RFC 2231 §5: "charset*language"; the language does not change the decoding.
    if (const qsizetype star = charset.indexOf('*'); star >= 0)
        charset.truncate(star);
    if (charset.isEmpty())
        return std::nullopt;
    const char encoding = word[charsetEnd + 1];
    const QByteArrayView text = word.sliced(charsetEnd + 3, word.size() - charsetEnd - 5);

    std::optional<QByteArray> bytes;
    if (encoding == 'B' || encoding == 'b')
    {
        // RFC 2047 §4.1: "B" is base64 (RFC 2045 §6.8).
        auto result = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (result)
            bytes = std::move(result.decoded);
    }
    else
    {
        bytes = decodeQ(text);
    }
    if (!bytes)
        return std::nullopt;

    QStringDecoder decoder(charset.constData());
    if (!decoder.isValid())
        return std::nullopt;
    QString decoded = decoder.decode(*bytes);
    if (decoder.hasError())
        return std::nullopt;
    return decoded;
}

QString decodeEncodedWords(QByteArrayView text)
{
    QString result;
    qsizetype pos = 0;
    bool previousDecoded = false;
    while (pos < text.size())
    {
        qsizetype wordStart = pos;
        while (wordStart < text.size() && isSpace(text[wordStart]))
            ++wordStart;
        qsizetype wordEnd = wordStart;
        while (wordEnd < text.size() && !isSpace(text[wordEnd]))
            ++wordEnd;
        const QByteArrayView space = text.sliced(pos, wordStart - pos);
        const QByteArrayView word = text.sliced(wordStart, wordEnd - wordStart);

        const std::optional<QString> decoded = word.isEmpty() ? std::nullopt : decodeWordRun(word);
        // RFC 2047 §6.2: white space between adjacent encoded-words is not displayed.
        if (!(decoded && previousDecoded))
            result += QString::fromUtf8(space);
        result += decoded ? *decoded : QString::fromUtf8(word);
        previousDecoded = decoded.has_value();
        pos = wordEnd;
    }
    return result;
}

} // namespace promail
