#pragma once

#include "core/result.h"
#include "protocols/protocolservices.h"

#include <memory>

namespace promail
{

class DeliveryPipeline;
class DkimKeyStore;
class DurableCommitter;
class ForwardingHosts;
class LoginBans;
class ConnectionCounter;
class MailStore;
class Spool;
class TlsContext;
struct DirectoryContext;

// The daemon's mail machinery, built once the database is open: mail store, outbound spool, DKIM keys,
// group committer, delivery pipeline and the policy state the protocols share.
class MailServices
{
public:
    MailServices(const DirectoryContext& directory, const TlsContext& tls, const QString& hostname);
    ~MailServices();
    Q_DISABLE_COPY_MOVE(MailServices)

    // Start-up sweep (ARCHITECTURE.md "Durability") and cached state; before any session.
    Status recover();
    // Lets every pending commit finish.
    void stop();

    const ProtocolServices& smtp() const { return m_smtp; }
    const Spool& spool() const { return *m_spool; }
    const DkimKeyStore& dkimKeys() const { return *m_dkimKeys; }
    LoginBans& bans() { return *m_bans; }
    ForwardingHosts& forwardingHosts() { return *m_forwardingHosts; }

private:
    const DirectoryContext& m_directory;
    std::unique_ptr<MailStore> m_store;
    std::unique_ptr<Spool> m_spool;
    std::unique_ptr<DkimKeyStore> m_dkimKeys;
    std::unique_ptr<DurableCommitter> m_committer;
    std::unique_ptr<DeliveryPipeline> m_delivery;
    std::unique_ptr<LoginBans> m_bans;
    std::unique_ptr<ForwardingHosts> m_forwardingHosts;
    std::unique_ptr<ConnectionCounter> m_imapConnections;
    ProtocolServices m_smtp;
};

} // namespace promail
