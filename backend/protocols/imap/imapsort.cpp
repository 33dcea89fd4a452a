#include "protocols/imap/imapsort.h"

#include "message/addresslist.h"
#include "message/basesubject.h"
#include "message/headerblock.h"
#include "message/messagetext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

// RFC 5256 §3: "i;ascii-casemap" (RFC 4790 §9.2): ASCII letters compare without case.
QByteArray asciiCasemap(const QByteArray& bytes)
{
    QByteArray folded = bytes;
    for (char& c : folded)
    {
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    }
    return folded;
}

// RFC 5256 §3: the addr-mailbox of the first address of the field, "" when there is none.
QByteArray firstMailbox(const HeaderBlock& header, QByteArrayView field)
{
    const QByteArray value = header.value(field);
    if (value.isEmpty())
        return {};
    const AddressListParse parsed = parseAddressList(value);
    if (parsed.addresses.isEmpty())
        return {};
    const QString& address = parsed.addresses.first().address;
    return asciiCasemap(address.left(address.lastIndexOf(u'@')).toUtf8());
}

} // namespace

ImapSort::Record ImapSort::Record::of(const SnapshotMessage& message, qsizetype index, const HeaderBlock* header)
{
    Record record;
    record.index = index;
    record.arrival = message.internalDate;
    record.size = message.size;
    record.sent = message.internalDate;
    if (!header)
        return record;
    // RFC 5256 §2.2: without a usable Date: the internal date is the sent date.
    if (const auto sent = MessageText::dateField(header->value("Date")))
        record.sent = sent->toSecsSinceEpoch();
    record.from = firstMailbox(*header, "From");
    record.to = firstMailbox(*header, "To");
    record.cc = firstMailbox(*header, "Cc");
    record.subject =
        asciiCasemap(BaseSubject::extract(MessageText::headerValue(header->value("Subject"))).text.toUtf8());
    return record;
}

QList<ImapSort::Criterion> ImapSort::parseCriteria(ImapParser& parser)
{
    static const std::initializer_list<std::pair<QByteArrayView, Key>> kKeys{
        {"ARRIVAL", Key::Arrival}, {"CC", Key::Cc},           {"DATE", Key::Date}, {"FROM", Key::From},
        {"SIZE", Key::Size},       {"SUBJECT", Key::Subject}, {"TO", Key::To}};
    QList<Criterion> criteria;
    Cursor& cursor = parser.cursor();
    cursor.require("(");
    do
    {
        Criterion criterion;
        QByteArray name = parser.atom().toUpper();
        if (name == "REVERSE")
        {
            criterion.reverse = true;
            parser.space();
            name = parser.atom().toUpper();
        }
        if (!cursor.ok())
            break;
        const auto found = std::find_if(kKeys.begin(), kKeys.end(), [&name](const auto& k) { return k.first == name; });
        if (found == kKeys.end())
        {
            cursor.fail(u"unknown sort key %1"_s.arg(QString::fromLatin1(name)));
            break;
        }
        criterion.key = found->second;
        criteria.append(criterion);
    } while (cursor.ok() && cursor.present(" "));
    cursor.require(")");
    return criteria;
}

bool ImapSort::needsHeader(const QList<Criterion>& criteria)
{
    return std::any_of(criteria.cbegin(), criteria.cend(),
                       [](const Criterion& c) { return c.key != Key::Arrival && c.key != Key::Size; });
}

void ImapSort::sort(QList<Record>& records, const QList<Criterion>& criteria)
{
    const auto compare = [](const Record& a, const Record& b, Key key) -> int
    {
        const auto order = [](const auto& x, const auto& y)
        {
            return x < y ? -1 : y < x ? 1 : 0;
        };
        switch (key)
        {
        case Key::Arrival:
            return order(a.arrival, b.arrival);
        case Key::Cc:
            return order(a.cc, b.cc);
        case Key::Date:
            return order(a.sent, b.sent);
        case Key::From:
            return order(a.from, b.from);
        case Key::Size:
            return order(a.size, b.size);
        case Key::Subject:
            return order(a.subject, b.subject);
        case Key::To:
            return order(a.to, b.to);
        }
        return 0;
    };
    std::sort(records.begin(), records.end(),
              [&](const Record& a, const Record& b)
              {
                  for (const Criterion& criterion : criteria)
                  {
                      const int result = compare(a, b, criterion.key);
                      if (result != 0)
                          return criterion.reverse ? result > 0 : result < 0;
                  }
                  return a.index < b.index; // RFC 5256 §3: ties in sequence number order
              });
}

} // namespace promail
