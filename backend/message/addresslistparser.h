#pragma once

#include "message/addresslexer.h"
#include "message/addresslist.h"

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace promail
{

// Reads the tokens of an RFC 5322 §3.4 address-list: mailboxes, groups and the obsolete forms
// of §4.4. A broken element is skipped up to the next ',' (or ';'), so one bad address does not
// hide the others.
class AddressListParser
{
public:
    static constexpr int kMaxAddresses = 1000;
    static constexpr qsizetype kMaxInputLength = 64 * 1024;

    explicit AddressListParser(QByteArrayView input) : m_input(input) {}

    AddressListParse parse();

private:
    void element(bool inGroup);
    void group();
    void angleAddress(const QString& displayName);
    void endOfElement(bool inGroup);
    void skipToSeparator(bool inGroup);
    void add(const QString& displayName, const QByteArray& address);

    bool atEnd() const { return m_pos >= m_tokens.size(); }
    bool isAt(char special) const { return !atEnd() && m_tokens[m_pos].is(special); }
    qsizetype findStop(qsizetype from, QByteArrayView stops) const;
    std::optional<QByteArray> addrSpec(qsizetype from, qsizetype to) const;
    QString displayName(qsizetype from, qsizetype to);
    QByteArrayView text(const AddressToken& token) const;

    QByteArrayView m_input;
    QList<AddressToken> m_tokens;
    qsizetype m_pos = 0;
    bool m_full = false;
    AddressListParse m_result;
};

} // namespace promail
