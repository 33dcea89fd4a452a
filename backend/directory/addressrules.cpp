#include "directory/addressrules.h"

#include "shared/address.h"

using namespace Qt::StringLiterals;

namespace promail
{

QString AddressRules::localPartError(const QString& localPart, AddressKind kind)
{
    if (localPart.isEmpty())
        return u"the local part is empty"_s;
    if (localPart.size() > kMaxLocalPart)
        return u"the local part is longer than 64 characters"_s;
    if (localPart.contains(u'+'))
        return u"'+' is not allowed: it separates sub-addresses (user+tag)"_s;
    for (QChar c : localPart)
    {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-' ||
                        (c == u'*' && kind == AddressKind::Alias);
        if (!ok)
            return kind == AddressKind::Alias
                       ? u"only letters, digits, '.', '-' and the wildcard '*' are allowed, not '%1'"_s.arg(c)
                       : u"only letters, digits, '.' and '-' are allowed, not '%1'"_s.arg(c);
    }
    if (localPart.startsWith(u'.') || localPart.endsWith(u'.') || localPart.contains(u".."_s))
        return u"a '.' may not start or end the local part or follow another '.'"_s;
    if (localPart.endsWith(u".app"_s))
        return u"names ending in '.app' are reserved for applications"_s;
    return {};
}

Result<LocalAddress> AddressRules::parse(const QString& input, AddressKind kind, const QString& field)
{
    const QString trimmed = input.trimmed();
    const qsizetype at = trimmed.lastIndexOf(u'@');
    if (at < 0)
        return Error::invalid(field, u"'%1' is not an address of the form name@domain"_s.arg(trimmed));
    const QString localPart = trimmed.left(at).toLower();
    if (const QString why = localPartError(localPart, kind); !why.isEmpty())
        return Error::invalid(field, u"'%1': %2"_s.arg(trimmed, why));
    const ParsedDomain domain = parseDomainName(trimmed.mid(at + 1));
    if (!domain.domain)
        return Error::invalid(field, u"'%1': %2"_s.arg(trimmed, domain.error));
    return LocalAddress{localPart, domain.domain->ascii};
}

Result<QStringList> AddressRules::parseDestinations(const QStringList& inputs, const QString& field, bool allowEmpty)
{
    QStringList result;
    for (const QString& input : inputs)
    {
        if (input.trimmed().isEmpty())
            continue;
        const ParsedAddress parsed = parseMailAddress(input);
        if (!parsed.address)
            return Error::invalid(field, parsed.error);
        const QString address = parsed.address->toString();
        if (!result.contains(address, Qt::CaseInsensitive))
            result.append(address);
    }
    if (result.isEmpty() && !allowEmpty)
        return Error::invalid(field, u"at least one address is needed"_s);
    return result;
}

bool AddressRules::wildcardMatches(const QString& pattern, const QString& localPart)
{
    // Iterative glob match with backtracking to the last '*': linear in practice, no recursion.
    qsizetype p = 0;
    qsizetype s = 0;
    qsizetype star = -1;
    qsizetype resume = 0;
    while (s < localPart.size())
    {
        if (p < pattern.size() && pattern.at(p) == u'*')
        {
            star = p++;
            resume = s;
        }
        else if (p < pattern.size() && pattern.at(p) == localPart.at(s))
        {
            ++p;
            ++s;
        }
        else if (star >= 0)
        {
            p = star + 1;
            s = ++resume;
        }
        else
        {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == u'*')
        ++p;
    return p == pattern.size();
}

} // namespace promail
