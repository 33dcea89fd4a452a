#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace promail
{

// RFC 2047 encoded-words ("=?charset?B?...?=", "=?charset?Q?...?="): the way non-ASCII text is
// written in display names and unstructured fields such as Subject.

// The length of the encoded-word starting at `pos` (RFC 2047 §2 syntax only), or 0 if none does.
// The encoded text may hold any byte but '?' and white space, as broken mailers put specials there.
qsizetype encodedWordLength(QByteArrayView text, qsizetype pos);

// One whole encoded-word decoded, or nothing when its encoding is broken or its charset unknown to
// QStringDecoder (Qt's own codecs and ICU's: UTF-8, ISO-8859-x, windows-125x, US-ASCII, ...).
std::optional<QString> decodeEncodedWord(QByteArrayView word);

// Text in which encoded-words may appear as white-space separated words. Words that decode are
// decoded, white space between two decoded words goes (RFC 2047 §6.2), everything else is kept
// as written and read as UTF-8 (RFC 6532).
QString decodeEncodedWords(QByteArrayView text);

} // namespace promail
