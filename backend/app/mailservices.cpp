#include "mailservices.h"

#include "core/logging.h"
#include "delivery/deliverypipeline.h"
#include "directory/directorycontext.h"
#include "mailstore/mailstore.h"
#include "policy/forwardinghosts.h"
#include "policy/loginbans.h"
#include "protocols/connectioncounter.h"
#include "queue/dkimkeystore.h"
#include "queue/spool.h"
#include "storage/durablecommitter.h"

#include <QDir>

namespace promail
{

MailServices::MailServices(const DirectoryContext& directory, const TlsContext& tls, const QString& hostname)
    : m_directory(directory), m_store(std::make_unique<MailStore>(directory.database, directory.paths)),
      m_spool(std::make_unique<Spool>(directory.database, directory.paths)),
      m_dkimKeys(std::make_unique<DkimKeyStore>(directory.database, directory.paths)),
      m_committer(std::make_unique<DurableCommitter>(directory.database)),
      m_delivery(
          std::make_unique<DeliveryPipeline>(directory, *m_store, *m_spool, *m_committer, hostname, m_dkimKeys.get())),
      m_bans(std::make_unique<LoginBans>(directory.settings)),
      m_forwardingHosts(std::make_unique<ForwardingHosts>(directory.database)),
      m_imapConnections(std::make_unique<ConnectionCounter>())
{
    m_smtp.hostname = hostname;
    m_smtp.directory = &directory;
    m_smtp.settings = &directory.settings;
    m_smtp.tls = &tls;
    m_smtp.bans = m_bans.get();
    m_smtp.forwardingHosts = m_forwardingHosts.get();
    m_smtp.delivery = m_delivery.get();
    m_smtp.store = m_store.get();
    m_smtp.committer = m_committer.get();
    m_smtp.incomingDirectory = directory.paths.incoming();
    m_smtp.imapConnections = m_imapConnections.get();
}

MailServices::~MailServices() = default;

Status MailServices::recover()
{
    // Messages that were being received when the daemon stopped were never acknowledged.
    QDir incoming(m_directory.paths.incoming());
    for (const QString& name : incoming.entryList(QDir::Files))
        incoming.remove(name);
    if (const Status status = m_store->recover(); !status)
        return status;
    if (const Status status = m_spool->recover(); !status)
        return status;
    return m_forwardingHosts->load();
}

void MailServices::stop()
{
    m_committer->stop();
}

} // namespace promail
