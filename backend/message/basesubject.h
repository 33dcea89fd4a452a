#pragma once

#include <QString>

namespace promail
{

// RFC 5256 §2.1 base subject: the Subject with "Re:", "Fw:", "Fwd:", "[blob]" leaders, "(fwd)"
// trailers and "[fwd: ...]" wrappers removed, white space collapsed. SORT SUBJECT and THREAD
// compare messages by it.
struct BaseSubject
{
    QString text;
    // Something was removed that marks a reply or forward (a leader, a trailer or a [fwd:] wrapper):
    // THREAD=REFERENCES §2.2 step 5 needs to know.
    bool replyOrForward = false;

    // `decoded`: the Subject with its RFC 2047 encoded-words already decoded.
    static BaseSubject extract(const QString& decoded);
};

} // namespace promail
