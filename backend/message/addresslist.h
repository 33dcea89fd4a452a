#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace promail
{

// One mailbox of an address header: "Alice Example <alice@example.org>".
struct HeaderAddress
{
    QString displayName; // decoded (RFC 2047 encoded-words in it decoded), may be empty
    QString address;     // local@domain as written (local part case kept), no angle brackets
};

// RFC 5322 §3.4 address-list / mailbox-list of a From, To, Cc, Reply-To field value: display
// names, angle addresses, groups ("Team: a@x, b@y;"), comments, quoted strings, and the
// obsolete forms of §4.4 where they are unambiguous. Addresses that cannot be parsed are
// skipped; `ok` reports whether everything parsed.
struct AddressListParse
{
    QList<HeaderAddress> addresses;
    bool ok = true;
};

AddressListParse parseAddressList(QByteArrayView value);

// RFC 5322 §3.6.4 msg-id: the first "<left@right>" in the value, without brackets; empty if none.
QString parseMessageId(QByteArrayView value);

} // namespace promail
