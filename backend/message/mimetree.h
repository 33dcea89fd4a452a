#pragma once

#include "message/mimepart.h"

#include <QList>

namespace promail
{

// The parts of one message in document order: parts().first() is the message itself.
class MimeTree
{
public:
    const QList<MimePart>& parts() const { return m_parts; }
    const MimePart& root() const { return m_parts.first(); }
    const MimePart& part(int index) const { return m_parts.at(index); }
    // A depth or part-count limit kept the parser from reading everything (MimeParser).
    bool isTruncated() const { return m_truncated; }

    // RFC 9051 §6.4.5 part specifier ("1.2.3" as {1, 2, 3}) to a part index, or -1. A message
    // that is not multipart has only part 1, its body; "n.1" inside a message/rfc822 part is
    // the embedded message's body or its first body part.
    int partForSection(const QList<int>& section) const;

private:
    friend class MimeParser;

    QList<MimePart> m_parts;
    bool m_truncated = false;
};

} // namespace promail
