#include "shared/address.h"

#include <QStringList>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

bool isLdhLabel(const QString& label)
{
    if (label.isEmpty() || label.size() > 63)
        return false;
    if (label.startsWith(u'-') || label.endsWith(u'-'))
        return false;
    for (QChar c : label)
    {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

// RFC 5322 §3.2.3 atext, plus any non-ASCII character (RFC 6531 §3.3 extends atext with UTF-8).
bool isAtext(QChar c)
{
    if (c.unicode() >= 0x80)
        return true;
    if (c.isLetterOrNumber() && c.unicode() < 0x80)
        return true;
    static const QString specials = u"!#$%&'*+-/=?^_`{|}~"_s;
    return specials.contains(c);
}

bool isDotString(const QString& local)
{
    if (local.isEmpty() || local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."_s))
        return false;
    for (QChar c : local)
    {
        if (c != u'.' && !isAtext(c))
            return false;
    }
    return true;
}

// RFC 5321 §4.1.2 Quoted-string: qtextSMTP or quoted-pairSMTP between DQUOTEs.
bool isQuotedString(const QString& local)
{
    if (local.size() < 2 || !local.startsWith(u'"') || !local.endsWith(u'"'))
        return false;
    for (qsizetype i = 1; i < local.size() - 1; ++i)
    {
        const char16_t c = local.at(i).unicode();
        if (c == u'\\')
        {
            ++i;
            if (i >= local.size() - 1 || local.at(i).unicode() < 32 || local.at(i).unicode() > 126)
                return false;
            continue;
        }
        if (c == u'"' || c < 32 || c == 127)
            return false;
    }
    return true;
}

} // namespace

ParsedDomain parseDomainName(const QString& input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return {std::nullopt, u"domain name is empty"_s};
    if (trimmed.startsWith(u'['))
        return {std::nullopt, u"address literals are not domain names"_s};
    QString name = trimmed.toLower();
    if (name.endsWith(u'.'))
        name.chop(1);
    const QByteArray ace = QUrl::toAce(name);
    if (ace.isEmpty())
        return {std::nullopt, u"'%1' is not a valid internationalized domain name"_s.arg(trimmed)};
    const QString ascii = QString::fromLatin1(ace).toLower();
    if (ascii.size() > 253)
        return {std::nullopt, u"domain name is longer than 253 characters"_s};
    const QStringList labels = ascii.split(u'.');
    if (labels.size() < 2)
        return {std::nullopt, u"'%1' needs at least two labels, like example.org"_s.arg(trimmed)};
    for (const QString& label : labels)
    {
        if (!isLdhLabel(label))
            return {
                std::nullopt,
                u"label '%1' must be 1-63 letters, digits or hyphens, not starting or ending with '-'"_s.arg(label)};
    }
    if (labels.last().at(0).isDigit() && labels.last().at(labels.last().size() - 1).isDigit())
        return {std::nullopt, u"the last label of '%1' is numeric; an IP address is not a domain name"_s.arg(trimmed)};
    const QString unicode = QUrl::fromAce(ascii.toLatin1(), QUrl::IgnoreIDNWhitelist);
    for (const QString& label : unicode.split(u'.'))
    {
        if (label.startsWith(u"xn--"_s))
            return {std::nullopt, u"label '%1' is not a valid A-label"_s.arg(label)};
    }
    return {DomainName{ascii, unicode}, {}};
}

ParsedAddress parseMailAddress(const QString& input)
{
    const QString trimmed = input.trimmed();
    const qsizetype at = trimmed.lastIndexOf(u'@');
    if (at <= 0 || at == trimmed.size() - 1)
        return {std::nullopt, u"'%1' is not an address of the form local@domain"_s.arg(trimmed)};
    const QString local = trimmed.left(at);
    if (local.toUtf8().size() > 64)
        return {std::nullopt, u"the local part of '%1' is longer than 64 octets"_s.arg(trimmed)};
    if (!isDotString(local) && !isQuotedString(local))
        return {std::nullopt, u"the local part of '%1' is not valid address syntax"_s.arg(trimmed)};
    const QString domainPart = trimmed.mid(at + 1);
    if (domainPart != domainPart.trimmed())
        return {std::nullopt, u"'%1' has white space after '@'"_s.arg(trimmed)};
    const ParsedDomain domain = parseDomainName(domainPart);
    if (!domain.domain)
        return {std::nullopt, domain.error};
    return {MailAddress{local, domain.domain->ascii}, {}};
}

} // namespace promail
