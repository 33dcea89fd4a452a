#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace promail
{

class MimeHeaderCursor;

// One parameter of a Content-Type or Content-Disposition field (RFC 2045 §5.1, RFC 2183 §2),
// with RFC 2231 continuations joined.
struct MimeParameter
{
    QByteArray name; // lower-case, without the RFC 2231 "*N" / "*" marks
    QString value;   // unquoted; RFC 2231 charset decoded, or else RFC 2047 encoded-words decoded
    // The value as IMAP BODYSTRUCTURE shows it: continuations joined, nothing decoded. An
    // extended value (RFC 2231 §4) keeps its "charset'language'" prefix and %XX octets, and is
    // shown under the name "name*" so clients decode it themselves, as Dovecot does.
    QByteArray wireValue;
    bool extended = false;
};

// The parameters "; name=value ..." after a Content-Type or Content-Disposition value. Lenient:
// unquoted values with spaces or specials are taken up to the next ';', broken parameters are
// skipped; a name seen twice keeps its first value.
class MimeParameterList
{
public:
    static constexpr int kMaxParameters = 100;
    static constexpr int kMaxSections = 1000; // RFC 2231 §3 continuation sections per name

    // Reads parameters from the cursor to the end of the value.
    static MimeParameterList parse(MimeHeaderCursor& cursor);

    const QList<MimeParameter>& parameters() const { return m_parameters; }
    bool isEmpty() const { return m_parameters.isEmpty(); }
    bool contains(QByteArrayView name) const;
    // The decoded value; an RFC 2231 form wins over a plain one of the same name (RFC 2231 §4
    // lets senders give both for older readers).
    QString value(QByteArrayView name) const;
    // The undecoded bytes: what a boundary (RFC 2046 §5.1.1) is compared with.
    QByteArray rawValue(QByteArrayView name) const;

    void prepend(MimeParameter parameter) { m_parameters.prepend(std::move(parameter)); }

private:
    const MimeParameter* find(QByteArrayView name) const;

    QList<MimeParameter> m_parameters;
};

} // namespace promail
