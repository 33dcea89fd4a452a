#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>

namespace promail
{

// RFC 6376 §3.4: the two canonicalization algorithms a signer can choose per part.
enum class DkimCanonicalization
{
    Simple,
    Relaxed,
};

// One header field as it enters the signature (RFC 6376 §3.4.1, §3.4.2). `rawField` is the
// field as it appears in the message: "Name: value", folding included, with or without its
// final line end. The result always ends in CRLF.
QByteArray canonicalHeaderField(DkimCanonicalization mode, QByteArrayView rawField);

// The body canonicalizer (RFC 6376 §3.4.3, §3.4.4), fed in chunks of any size so that a message
// file can be streamed through it. A bare LF counts as a line end (CRLF), as it will be on the wire.
class DkimBodyCanonicalizer
{
public:
    explicit DkimBodyCanonicalizer(DkimCanonicalization mode) : m_mode(mode) {}

    // Appends the canonical form of `chunk` (as far as it is decided) to `out`.
    void add(QByteArrayView chunk, QByteArray& out);
    // Appends what the end of the body decides: the final CRLF of an unterminated last line, or
    // the single CRLF of an empty body with simple canonicalization.
    void finish(QByteArray& out);

private:
    void endLine(QByteArray& out);
    void content(char c, QByteArray& out);

    DkimCanonicalization m_mode;
    qint64 m_emptyLines = 0; // held back: empty lines at the end of the body are dropped
    bool m_lineHasContent = false;
    bool m_pendingSpace = false; // relaxed: a run of WSP not yet known to be inside the line
    bool m_pendingCr = false;
    bool m_anyOutput = false;
};

// The body hash of RFC 6376 §3.7 (bh=): SHA-256 over the canonical body, never limited (no l=).
class DkimBodyHasher
{
public:
    explicit DkimBodyHasher(DkimCanonicalization mode) : m_canonicalizer(mode) {}

    void add(QByteArrayView chunk);
    QByteArray result(); // the raw 32-byte digest; call once

private:
    DkimBodyCanonicalizer m_canonicalizer;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    QByteArray m_buffer;
};

} // namespace promail
