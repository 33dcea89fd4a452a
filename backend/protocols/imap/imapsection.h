#pragma once

#include "protocols/imap/imapfetchattribute.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace promail
{

class MimeTree;

// The bytes of one FETCH BODY[section]<partial> (RFC 9051 §6.4.5): either a range of the
// message file, which can be sent without copying, or bytes built for the response
// (HEADER.FIELDS). A section that does not exist is empty.
struct ImapSectionData
{
    qsizetype offset = 0;
    qsizetype length = 0;
    bool isBuilt = false;
    QByteArray built;

    qsizetype size() const { return isBuilt ? built.size() : length; }
    QByteArray bytes(QByteArrayView message) const;
    bool containsNul(QByteArrayView message) const;
};

class ImapSection
{
public:
    static ImapSectionData extract(QByteArrayView message, const MimeTree& tree, const ImapFetchAttribute& attribute);
    // BINARY[part]<partial> and BINARY.SIZE[part] (RFC 3516 §4.2): the part with its
    // Content-Transfer-Encoding undone (BINARY[]: the header, then the decoded body). Nothing for
    // an encoding this server cannot undo, which the FETCH answers with NO [UNKNOWN-CTE].
    static std::optional<ImapSectionData> binary(QByteArrayView message, const MimeTree& tree,
                                                 const ImapFetchAttribute& attribute);

private:
    static ImapSectionData headerFields(QByteArrayView message, qsizetype offset, qsizetype length,
                                        const ImapFetchAttribute& attribute);
    static void applyPartial(ImapSectionData& data, const ImapFetchAttribute& attribute);
};

} // namespace promail
