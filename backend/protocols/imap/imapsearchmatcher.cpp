#include "protocols/imap/imapsearchmatcher.h"

#include "message/messagetext.h"
#include "message/mimeparser.h"

#include <QDateTime>
#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace promail
{

bool ImapSearchMatcher::matches(const SnapshotMessage& message, qsizetype index)
{
    m_message = &message;
    m_index = index;
    m_content.reset();
    return match(m_key);
}

bool ImapSearchMatcher::match(const ImapSearchKey& key)
{
    using Kind = ImapSearchKey::Kind;
    const SnapshotMessage& message = *m_message;
    const QDate internalDate = QDateTime::fromSecsSinceEpoch(message.internalDate, Qt::UTC).date();
    switch (key.kind)
    {
    case Kind::All:
        return true;
    case Kind::And:
        return std::all_of(key.children.cbegin(), key.children.cend(), [this](const auto& c) { return match(c); });
    case Kind::Or:
        return match(key.children.at(0)) || match(key.children.at(1));
    case Kind::Not:
        return !match(key.children.at(0));
    case Kind::MessageNumbers:
        return inSet(key.set, m_index + 1, m_folder.messageCount);
    case Kind::Uid:
        return inSet(key.set, message.uid, m_folder.highestUid);
    case Kind::Flag:
    {
        // RFC 9051 §2.3.2: flag names are case-insensitive.
        const bool has =
            std::any_of(message.flags.cbegin(), message.flags.cend(),
                        [&key](const QByteArray& f) { return f.compare(key.flag, Qt::CaseInsensitive) == 0; });
        return has == key.present;
    }
    case Kind::Recent:
        return false; // ProMail keeps no \Recent (RFC 9051 removed it)
    case Kind::Larger:
        return message.size > key.number;
    case Kind::Smaller:
        return message.size < key.number;
    // RFC 9051 §6.4.4: dates compare "disregarding time and timezone".
    case Kind::Before:
        return internalDate < key.date;
    case Kind::On:
        return internalDate == key.date;
    case Kind::Since:
        return internalDate >= key.date;
    case Kind::SentBefore:
        return sentDate() < key.date;
    case Kind::SentOn:
        return sentDate() == key.date;
    case Kind::SentSince:
        return sentDate() >= key.date;
    case Kind::Header:
        return headerContains(key.field, key.text);
    case Kind::Body:
        return bodyText().contains(key.text, Qt::CaseInsensitive);
    case Kind::Text:
        return headerText().contains(key.text, Qt::CaseInsensitive) ||
               bodyText().contains(key.text, Qt::CaseInsensitive);
    }
    return false;
}

bool ImapSearchMatcher::inSet(const SequenceSet& set, qint64 value, qint64 star) const
{
    for (const SequenceRange& range : set)
    {
        if (range.first == SequenceRange::kSaved)
        {
            // RFC 5182 §2.1: "$" is the saved result, kept as UIDs.
            if (m_folder.saved && m_folder.saved->contains(m_message->uid))
                return true;
            continue;
        }
        const qint64 a = range.first == SequenceRange::kStar ? star : qint64(range.first);
        const qint64 b = range.last == SequenceRange::kStar ? star : qint64(range.last);
        if (value >= std::min(a, b) && value <= std::max(a, b))
            return true;
    }
    return false;
}

ImapSearchMatcher::Content& ImapSearchMatcher::content()
{
    if (m_content)
        return *m_content;
    m_content.emplace();
    QFile file(m_message->path);
    if (file.open(QIODevice::ReadOnly))
        m_content->bytes = file.readAll(); // an unreadable file matches no text key
    m_content->header = HeaderBlock::parse(m_content->bytes);
    return *m_content;
}

bool ImapSearchMatcher::headerContains(const QByteArray& field, const QString& text)
{
    const QList<QByteArray> values = content().header.values(field);
    // RFC 9051 §6.4.4 HEADER: an empty string matches every message that has the field.
    return std::any_of(values.cbegin(), values.cend(),
                       [&text](const QByteArray& value)
                       { return MessageText::headerValue(value).contains(text, Qt::CaseInsensitive); });
}

QDate ImapSearchMatcher::sentDate()
{
    // Without a readable Date: field the internal date stands in (as RFC 5256 §2.2 does for SORT).
    if (const auto sent = MessageText::dateField(content().header.value("Date")))
        return sent->date();
    return QDateTime::fromSecsSinceEpoch(m_message->internalDate, Qt::UTC).date();
}

const QString& ImapSearchMatcher::headerText()
{
    Content& loaded = content();
    if (!loaded.headerText)
        loaded.headerText = MessageText::header(loaded.header);
    return *loaded.headerText;
}

const QString& ImapSearchMatcher::bodyText()
{
    Content& loaded = content();
    if (!loaded.bodyText)
        loaded.bodyText = MessageText::body(loaded.bytes, MimeParser::parse(loaded.bytes));
    return *loaded.bodyText;
}

} // namespace promail
