#pragma once

#include "core/result.h"
#include "directory/directorycontext.h"
#include "directory/directorytypes.h"

namespace promail
{

// Which addresses an authenticated user may send as (MAIL FROM and header From): their own
// address, their sub-addresses (user+tag@), and exact aliases that deliver to them — never a
// wildcard alias or a catch-all — unless the mailbox may masquerade (seed 004). Domain aliases
// of their domain count as their domain (alice@example.net when example.net aliases example.org).
class SenderPolicy
{
public:
    explicit SenderPolicy(const DirectoryContext& context) : m_context(context) {}

    Result<bool> mayUse(const Mailbox& sender, const QString& address) const;

private:
    const DirectoryContext& m_context;
};

} // namespace promail
