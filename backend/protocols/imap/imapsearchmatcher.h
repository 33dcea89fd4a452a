#pragma once

#include "mailstore/folderview.h"
#include "message/headerblock.h"
#include "protocols/imap/imapsearchkey.h"

#include <QSet>
#include <QString>

#include <optional>

namespace promail
{

// Decides which messages of a selected folder a search key matches (RFC 9051 §6.4.4). Flags,
// sizes, internal dates, UIDs and sequence numbers come from the snapshot; the message file is
// read only when a key looks at the header or the body, and decoded only as far as it must be.
class ImapSearchMatcher
{
public:
    struct Folder
    {
        qsizetype messageCount = 0;
        qint64 highestUid = 0;
        const QSet<qint64>* saved = nullptr; // RFC 5182 "$": the UIDs of the saved result
    };

    ImapSearchMatcher(const ImapSearchKey& key, const Folder& folder) : m_key(key), m_folder(folder) {}

    // `index`: the message's position in the folder, from 0.
    bool matches(const SnapshotMessage& message, qsizetype index);

private:
    struct Content
    {
        QByteArray bytes;
        HeaderBlock header;
        std::optional<QString> headerText;
        std::optional<QString> bodyText;
    };

    bool match(const ImapSearchKey& key);
    bool inSet(const SequenceSet& set, qint64 value, qint64 star) const;
    Content& content();
    bool headerContains(const QByteArray& field, const QString& text);
    QDate sentDate();
    const QString& headerText();
    const QString& bodyText();

    const ImapSearchKey& m_key;
    Folder m_folder;
    const SnapshotMessage* m_message = nullptr;
    qsizetype m_index = 0;
    std::optional<Content> m_content;
};

} // namespace promail
