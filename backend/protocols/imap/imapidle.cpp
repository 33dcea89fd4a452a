// ImapSession: IDLE (RFC 2177, RFC 9051 §6.3.13). While idling the selected folder is checked
// every kIdlePoll for new, expunged and re-flagged messages — a cheap counters query unless
// something changed — so new mail is announced within a second.
#include "protocols/imap/imapsession.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
constexpr std::chrono::milliseconds kIdlePoll{250};
} // namespace

void ImapSession::idle(Request& request)
{
    if (!requireEnd(request))
        return;
    m_idleTag = request.tag;
    m_phase = Phase::Idle;
    send("+ idling\r\n"_ba);
    // RFC 2177 §3: changes made before IDLE may be reported at once.
    synchronize(true);
    m_idlePoll.start(kIdlePoll);
}

void ImapSession::pollIdle()
{
    if (m_phase != Phase::Idle)
    {
        m_idlePoll.stop();
        return;
    }
    // RFC 2177 §3: EXISTS, EXPUNGE and FETCH FLAGS may all be sent while idling.
    synchronize(true);
}

void ImapSession::continueIdle(const QByteArray& line)
{
    m_idlePoll.stop();
    m_phase = Phase::Command;
    Request request;
    request.tag = m_idleTag;
    m_idleTag.clear();
    // RFC 2177 §3: anything but DONE ends the IDLE as a protocol error.
    if (line.compare("DONE", Qt::CaseInsensitive) != 0)
    {
        bad(request.tag, "Expected DONE"_ba);
        return;
    }
    ok(request, "IDLE terminated"_ba);
}

} // namespace promail
