#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>

namespace promail
{

class Database;

// How STORE changes the flags (RFC 9051 §6.4.6).
enum class FlagChange
{
    Replace, // FLAGS
    Add,     // +FLAGS
    Remove,  // -FLAGS
};

// The flags of one message after a change.
struct FlagUpdate
{
    qint64 uid = 0;
    QList<QByteArray> flags;
    qint64 modseq = 0;
    bool conflict = false; // RFC 7162 §3.1.3: its MODSEQ was above UNCHANGEDSINCE, so it was left alone
};

// Changes message flags in the index: the flags column is a space-separated list. Every
// message whose flags really change gets a new MODSEQ above the folder's highest (RFC 7162
// §3.1), so other sessions notice. Thread-safe like MailStore.
class FlagStore
{
public:
    explicit FlagStore(const Database& database);

    // Applies `change` to the messages of `uids` that still exist; returns every one of them
    // with its flags afterwards (changed or not), in UID order. With `unchangedSince` >= 0 (RFC
    // 7162 §3.1.3 UNCHANGEDSINCE) a message whose MODSEQ is above it is left alone and marked
    // `conflict`; the test and the change are one transaction.
    Result<QList<FlagUpdate>> change(qint64 folderId, const QList<qint64>& uids, FlagChange change,
                                     const QList<QByteArray>& flags, qint64 unchangedSince = -1) const;

    // APPEND (RFC 9051 §6.3.12): sets the flags of the message just added as `file` (relative,
    // as in messages.file) inside the caller's transaction and returns its UID.
    static Result<qint64> setAppendedFlags(const Database& database, qint64 folderId, const QString& file,
                                           const QList<QByteArray>& flags);

    static QList<QByteArray> apply(const QList<QByteArray>& current, FlagChange change, const QList<QByteArray>& flags);

private:
    const Database& m_database;
};

} // namespace promail
