#pragma once

#include "message/addresslexer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace promail
{

// One RFC 9051 §7.5.2 address structure: (addr-name addr-adl addr-mailbox addr-host). A group
// (RFC 5322 §3.4) is a start marker (NIL NIL "name" NIL), its members, and an end marker
// (NIL NIL NIL NIL).
struct ImapAddress
{
    std::optional<QByteArray> name;    // display name as written, quoting removed, RFC 2047 kept
    std::optional<QByteArray> adl;     // obsolete source route ("@a,@b"), RFC 5322 §4.4
    std::optional<QByteArray> mailbox; // local part, quoting removed; or the group name
    std::optional<QByteArray> host;    // domain as written; NIL only in group markers
};

// The address list of an ENVELOPE member, read from a raw (undecoded) header field value.
// Unlike parseAddressList() it keeps display names as written and groups as markers, which is
// what IMAP clients expect. Elements that cannot be read are left out; an address without a
// domain gets the host "MISSING_DOMAIN", as Dovecot reports it.
class ImapAddressList
{
public:
    static constexpr int kMaxAddresses = 1000;
    static constexpr qsizetype kMaxInputLength = 64 * 1024;

    static QList<ImapAddress> parse(QByteArrayView value);
    // "((...)(...))", or NIL for an empty list (RFC 9051 §7.5.2 env-from etc.).
    static QByteArray format(const QList<ImapAddress>& addresses);

private:
    explicit ImapAddressList(QByteArrayView input) : m_input(input) {}

    void element(bool inGroup);
    void group(const QByteArray& name);
    void angleAddress(const std::optional<QByteArray>& name);
    void addrSpec(qsizetype from, qsizetype to, const std::optional<QByteArray>& name,
                  const std::optional<QByteArray>& adl);
    void endOfElement(bool inGroup);
    void add(ImapAddress address);

    bool atEnd() const { return m_pos >= m_tokens.size(); }
    bool isAt(char special) const { return !atEnd() && m_tokens[m_pos].is(special); }
    qsizetype findStop(qsizetype from, QByteArrayView stops) const;
    std::optional<QByteArray> phrase(qsizetype from, qsizetype to) const;
    std::optional<QByteArray> trailingComment(qsizetype from, qsizetype to) const;
    QByteArrayView text(const AddressToken& token) const;

    QByteArrayView m_input;
    QList<AddressToken> m_tokens;
    qsizetype m_pos = 0;
    QList<ImapAddress> m_addresses;
};

} // namespace promail
