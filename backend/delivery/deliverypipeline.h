#pragma once

#include "core/result.h"
#include "delivery/inboundmessage.h"
#include "directory/directorycontext.h"
#include "storage/durablecommitter.h"

#include <QObject>

#include <functional>

namespace promail
{

class DkimKeyStore;
class DurableCommitter;
class MailStore;
class Spool;
struct Mailbox;

// Local delivery (ARCHITECTURE.md "delivery/"): turns an accepted message into one stored copy
// per local mailbox (each mailbox once, however many routes reach it) and one queue entry for
// its external recipients (DKIM-signed for a local From domain), and makes them all durable in
// one group-commit job — the protocol acknowledges only when `done` reports success.
class DeliveryPipeline
{
public:
    DeliveryPipeline(const DirectoryContext& directory, const MailStore& store, const Spool& spool,
                     DurableCommitter& committer, QString hostname, const DkimKeyStore* dkimKeys = nullptr);

    // `done` runs in receiver's thread with the outcome; the queue id of the external part (if
    // any) is in the log line.
    void deliver(const InboundMessage& message, QObject* receiver, std::function<void(Status)> done) const;

private:
    struct LocalCopy;
    struct Plan;

    Result<Plan> plan(const InboundMessage& message) const;
    Result<CommitJob> prepare(const InboundMessage& message, Plan& plan) const;
    void logResult(const InboundMessage& message, const Plan& plan, const Status& status) const;
    void sendQuotaWarnings(const Plan& plan, QObject* receiver) const;
    Status sendQuotaWarning(const Mailbox& mailbox, int percent, qint64 usedBytes, QObject* receiver) const;

    const DirectoryContext& m_directory;
    const MailStore& m_store;
    const Spool& m_spool;
    DurableCommitter& m_committer;
    QString m_hostname;
    const DkimKeyStore* m_dkimKeys; // signs the external part (issue 5); none in some tests
};

} // namespace promail
