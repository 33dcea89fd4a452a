#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace promail
{

// Reads the structured values of MIME header fields (RFC 2045 §5.1, RFC 2183 §2, RFC 3282 §2):
// tokens, quoted strings and the comments and white space (CFWS, RFC 5322 §3.2.2) around them.
// Never fails; what does not fit is left for the caller to skip.
class MimeHeaderCursor
{
public:
    explicit MimeHeaderCursor(QByteArrayView text) : m_text(text) {}

    void skipCfws();
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool skip(char c); // after CFWS; true if `c` was there and is now passed

    // RFC 2045 §5.1 token (printable US-ASCII except tspecials), possibly empty.
    QByteArray token();
    // At a '"': the quoted string's content with quoted-pairs resolved; an unterminated one runs
    // to the end.
    QByteArray quotedString();
    // Everything up to the next `stop` (or the end), white space trimmed; for the values broken
    // mailers write without quotes ("name=my file.pdf", "name==?utf-8?Q?x?=").
    QByteArray rawUntil(char stop);
    void skipPast(char stop);

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

bool isMimeTokenChar(char c);

} // namespace promail
