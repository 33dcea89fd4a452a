#include "queue/dkimcanonicalization.h"

namespace promail
{

namespace
{
bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}
} // namespace

QByteArray canonicalHeaderField(DkimCanonicalization mode, QByteArrayView rawField)
{
    if (mode == DkimCanonicalization::Simple)
    {
        // §3.4.1: unchanged; the line end is CRLF whatever the stored form was.
        QByteArray field = rawField.toByteArray();
        if (field.endsWith("\r\n"))
            return field;
        if (field.endsWith('\n'))
            field.chop(1);
        field += "\r\n";
        return field;
    }

    // §3.4.2: lower-case name, unfold, WSP runs to one SP, no WSP at the end or around the colon.
    const qsizetype colon = rawField.indexOf(':');
    QByteArrayView name = colon < 0 ? rawField : rawField.first(colon);
    while (!name.isEmpty() && isWsp(name.back()))
        name.chop(1);
    QByteArray out = name.toByteArray().toLower();
    out += ':';
    const qsizetype valueStart = out.size();
    bool space = false;
    for (qsizetype i = colon < 0 ? rawField.size() : colon + 1; i < rawField.size(); ++i)
    {
        const char c = rawField.at(i);
        if (c == '\r' || c == '\n')
            continue; // unfolding: the WSP after the line end remains and collapses below
        if (isWsp(c))
        {
            space = true;
            continue;
        }
        if (space && out.size() > valueStart)
            out += ' ';
        space = false;
        out += c;
    }
    out += "\r\n";
    return out;
}

void DkimBodyCanonicalizer::add(QByteArrayView chunk, QByteArray& out)
{
    for (const char c : chunk)
    {
        if (m_pendingCr)
        {
            m_pendingCr = false;
            if (c == '\n')
            {
                endLine(out);
                continue;
            }
            content('\r', out); // a lone CR is an ordinary character
        }
        if (c == '\r')
            m_pendingCr = true;
        else if (c == '\n')
            endLine(out);
        else if (m_mode == DkimCanonicalization::Relaxed && isWsp(c))
            m_pendingSpace = true;
        else
            content(c, out);
    }
}

void DkimBodyCanonicalizer::content(char c, QByteArray& out)
{
    if (!m_lineHasContent)
    {
        // The held-back empty lines were not at the end of the body after all.
        for (; m_emptyLines > 0; --m_emptyLines)
            out += "\r\n";
        m_lineHasContent = true;
    }
    if (m_pendingSpace)
    {
        out += ' '; // §3.4.4 a: a run of WSP inside a line becomes one SP
        m_pendingSpace = false;
    }
    out += c;
    m_anyOutput = true;
}

void DkimBodyCanonicalizer::endLine(QByteArray& out)
{
    m_pendingSpace = false; // §3.4.4 a: WSP at the end of a line is ignored
    if (m_lineHasContent)
        out += "\r\n";
    else
        ++m_emptyLines;
    m_lineHasContent = false;
}

void DkimBodyCanonicalizer::finish(QByteArray& out)
{
    if (m_pendingCr)
    {
        m_pendingCr = false;
        content('\r', out);
    }
    if (m_lineHasContent)
        endLine(out); // an unterminated last line gets its CRLF (§3.4.3, §3.4.4 b)
    // §3.4.3: a simple-canonical empty body is one CRLF; relaxed leaves it empty (RFC 6376 errata 3133).
    if (!m_anyOutput && m_mode == DkimCanonicalization::Simple)
        out += "\r\n";
    m_emptyLines = 0;
}

void DkimBodyHasher::add(QByteArrayView chunk)
{
    m_canonicalizer.add(chunk, m_buffer);
    m_hash.addData(m_buffer);
    m_buffer.clear();
}

QByteArray DkimBodyHasher::result()
{
    m_canonicalizer.finish(m_buffer);
    m_hash.addData(m_buffer);
    m_buffer.clear();
    return m_hash.result();
}

} // namespace promail
