#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace promail
{

// One header field of an RFC 5322 message (§2.2), as found in the raw bytes.
struct HeaderField
{
    QByteArray name;  // as written (compare case-insensitively)
    QByteArray value; // unfolded (RFC 5322 §2.2.3: CRLF before WSP removed), leading WSP trimmed
    qsizetype offset; // where the field starts in the message
    qsizetype length; // bytes up to and including its final CRLF (or LF)
};

// The header section of a message: the fields up to the first empty line (RFC 5322 §2.1).
// Tolerant of bare LF line ends and of obsolete syntax, strict about sizes: at most kMaxFields
// fields and kMaxFieldLength bytes per (unfolded) field; beyond that isValid() is false.
class HeaderBlock
{
public:
    static constexpr int kMaxFields = 1000;
    static constexpr qsizetype kMaxFieldLength = 64 * 1024;

    static HeaderBlock parse(QByteArrayView message);

    const QList<HeaderField>& fields() const { return m_fields; }
    qsizetype bodyOffset() const { return m_bodyOffset; } // first byte after the empty line
    bool isComplete() const { return m_complete; }        // an empty line was found
    bool isValid() const { return m_valid; }              // no field broke the syntax or a limit

    QByteArray value(QByteArrayView name) const; // the first field of that name, or empty
    QList<QByteArray> values(QByteArrayView name) const;
    bool contains(QByteArrayView name) const;

private:
    QList<HeaderField> m_fields;
    qsizetype m_bodyOffset = 0;
    bool m_complete = false;
    bool m_valid = true;
};

} // namespace promail
