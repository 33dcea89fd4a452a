// shared/address.h: the domain and address syntax both promaild and its clients apply.
#include "shared/address.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// "error: *" in an expected column accepts any refusal, for rows where only refusing matters.
const QString kAnyError = u"error: *"_s;

QString describe(const ParsedDomain& parsed)
{
    if (!parsed.domain)
        return u"error: "_s + parsed.error;
    return parsed.domain->ascii + u" / "_s + parsed.domain->unicode;
}

QString describe(const ParsedAddress& parsed)
{
    if (!parsed.address)
        return u"error: "_s + parsed.error;
    return parsed.address->toString();
}

QString compared(const QString& actual, const QString& expected)
{
    return expected == kAnyError && actual.startsWith(u"error: "_s) ? kAnyError : actual;
}

QString repeated(const QString& text, int times)
{
    return text.repeated(times);
}

const QString kBadLabel = u"must be 1-63 letters, digits or hyphens, not starting or ending with '-'"_s;

} // namespace

class TestAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseDomainName_data();
    void parseDomainName();
    void parseMailAddress_data();
    void parseMailAddress();
};

void TestAddress::parseDomainName_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString label63 = repeated(u"a"_s, 63);
    const QString label64 = repeated(u"a"_s, 64);
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters: the longest name (RFC 1035 §2.3.4, 255 octets on the wire).
    const QString name253 =
        label63 + u'.' + repeated(u"b"_s, 63) + u'.' + repeated(u"c"_s, 63) + u'.' + repeated(u"d"_s, 61);
    const QString name254 = name253 + u'd';

    QTest::newRow("plain") << u"example.org"_s << u"example.org / example.org"_s;
    QTest::newRow("upper case is folded") << u"Example.ORG"_s << u"example.org / example.org"_s;
    QTest::newRow("trailing dot") << u"example.org."_s << u"example.org / example.org"_s;
    QTest::newRow("surrounding spaces") << u"  example.org  "_s << u"example.org / example.org"_s;
    QTest::newRow("four labels") << u"mail.example.co.uk"_s << u"mail.example.co.uk / mail.example.co.uk"_s;
    QTest::newRow("digits and hyphen") << u"mx-1.example.org"_s << u"mx-1.example.org / mx-1.example.org"_s;
    QTest::newRow("alphanumeric tld") << u"example.x1"_s << u"example.x1 / example.x1"_s;
    QTest::newRow("idna whitelisted tld") << u"bücher.de"_s << u"xn--bcher-kva.de / bücher.de"_s;
    QTest::newRow("idna full stop U+3002") << u"bücher。de"_s << u"xn--bcher-kva.de / bücher.de"_s;
    QTest::newRow("idna") << u"bücher.example"_s << u"xn--bcher-kva.example / bücher.example"_s;
    QTest::newRow("idna upper case") << u"BÜCHER.EXAMPLE"_s << u"xn--bcher-kva.example / bücher.example"_s;
    QTest::newRow("a-label input") << u"xn--bcher-kva.example"_s << u"xn--bcher-kva.example / bücher.example"_s;
    QTest::newRow("sharp s") << u"faß.de"_s << u"xn--fa-hia.de / faß.de"_s;
    QTest::newRow("label of 63") << label63 + u".example"_s << label63 + u".example / "_s + label63 + u".example"_s;
    QTest::newRow("name of 253") << name253 << name253 + u" / "_s + name253;
    QTest::newRow("name of 253 and a trailing dot") << name253 + u'.' << name253 + u" / "_s + name253;

    QTest::newRow("empty") << QString() << u"error: domain name is empty"_s;
    QTest::newRow("blank") << u"   "_s << u"error: domain name is empty"_s;
    QTest::newRow("single label") << u"localhost"_s
                                  << u"error: 'localhost' needs at least two labels, like example.org"_s;
    QTest::newRow("numeric tld")
        << u"example.123"_s
        << u"error: the last label of 'example.123' is numeric; an IP address is not a domain name"_s;
    QTest::newRow("ipv4") << u"192.0.2.1"_s
                          << u"error: the last label of '192.0.2.1' is numeric; an IP address is not a domain name"_s;
    QTest::newRow("address literal") << u"[192.0.2.1]"_s << u"error: address literals are not domain names"_s;
    QTest::newRow("label of 64") << label64 + u".example"_s
                                 << u"error: '"_s + label64 +
                                        u".example' is not a valid internationalized domain name"_s;
    QTest::newRow("name of 254") << name254 << u"error: domain name is longer than 253 characters"_s;
    QTest::newRow("underscore") << u"_dmarc.example.org"_s << u"error: label '_dmarc' "_s + kBadLabel;
    QTest::newRow("two trailing dots") << u"example.org.."_s << u"error: label '' "_s + kBadLabel;
    QTest::newRow("leading hyphen") << u"-mx.example.org"_s
                                    << u"error: '-mx.example.org' is not a valid internationalized domain name"_s;
    QTest::newRow("trailing hyphen") << u"mx-.example.org"_s << kAnyError;
    QTest::newRow("empty label") << u"example..org"_s
                                 << u"error: 'example..org' is not a valid internationalized domain name"_s;
    QTest::newRow("leading dot") << u".example.org"_s << kAnyError;
    QTest::newRow("space inside") << u"exa mple.org"_s << kAnyError;
    QTest::newRow("an address") << u"alice@example.org"_s << kAnyError;
    QTest::newRow("invalid a-label") << u"xn--a.example"_s << kAnyError;
}

void TestAddress::parseDomainName()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    const QString actual = compared(describe(promail::parseDomainName(input)), expected);
    QCOMPARE(actual, expected);
}

void TestAddress::parseMailAddress_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString local64 = repeated(u"a"_s, 64);
    const QString local65 = repeated(u"a"_s, 65);
    const QString umlauts33 = repeated(u"ö"_s, 33); // 33 characters, 66 octets in UTF-8
    const QString label64 = repeated(u"a"_s, 64);

    QTest::newRow("plain") << u"alice@example.org"_s << u"alice@example.org"_s;
    QTest::newRow("local part keeps case") << u"Alice.Smith@EXAMPLE.Org"_s << u"Alice.Smith@example.org"_s;
    QTest::newRow("plus tag") << u"alice+lists@example.org"_s << u"alice+lists@example.org"_s;
    QTest::newRow("atext specials") << u"!#$%&'*+-/=?^_`{|}~@example.org"_s << u"!#$%&'*+-/=?^_`{|}~@example.org"_s;
    QTest::newRow("utf-8 local part, idna domain") << u"jörg@bücher.example"_s << u"jörg@xn--bcher-kva.example"_s;
    QTest::newRow("surrounding spaces") << u"  alice@example.org "_s << u"alice@example.org"_s;
    QTest::newRow("trailing dot in domain") << u"alice@example.org."_s << u"alice@example.org"_s;
    QTest::newRow("quoted with space") << u"\"john doe\"@example.org"_s << u"\"john doe\"@example.org"_s;
    QTest::newRow("quoted with @") << u"\"a@b\"@example.org"_s << u"\"a@b\"@example.org"_s;
    QTest::newRow("quoted pair") << u"\"a\\\"b\"@example.org"_s << u"\"a\\\"b\"@example.org"_s;
    QTest::newRow("empty quoted string") << u"\"\"@example.org"_s << u"\"\"@example.org"_s;
    QTest::newRow("local part of 64") << local64 + u"@example.org"_s << local64 + u"@example.org"_s;

    QTest::newRow("local part of 65") << local65 + u"@example.org"_s
                                      << u"error: the local part of '"_s + local65 +
                                             u"@example.org' is longer than 64 octets"_s;
    QTest::newRow("local part of 66 octets")
        << umlauts33 + u"@example.org"_s
        << u"error: the local part of '"_s + umlauts33 + u"@example.org' is longer than 64 octets"_s;
    QTest::newRow("missing @") << u"alice.example.org"_s
                               << u"error: 'alice.example.org' is not an address of the form local@domain"_s;
    QTest::newRow("empty local part") << u"@example.org"_s
                                      << u"error: '@example.org' is not an address of the form local@domain"_s;
    QTest::newRow("empty domain") << u"alice@"_s << u"error: 'alice@' is not an address of the form local@domain"_s;
    QTest::newRow("address literal") << u"alice@[192.0.2.1]"_s << u"error: address literals are not domain names"_s;
    QTest::newRow("ipv6 address literal")
        << u"alice@[IPv6:2001:db8::1]"_s << u"error: address literals are not domain names"_s;
    QTest::newRow("single label domain") << u"alice@localhost"_s
                                         << u"error: 'localhost' needs at least two labels, like example.org"_s;
    QTest::newRow("numeric domain")
        << u"alice@192.0.2.1"_s
        << u"error: the last label of '192.0.2.1' is numeric; an IP address is not a domain name"_s;
    QTest::newRow("domain label of 64") << u"alice@"_s + label64 + u".example"_s
                                        << u"error: '"_s + label64 +
                                               u".example' is not a valid internationalized domain name"_s;
    QTest::newRow("underscore in domain") << u"alice@exa_mple.org"_s << u"error: label 'exa_mple' "_s + kBadLabel;
    QTest::newRow("double dot") << u"a..b@example.org"_s
                                << u"error: the local part of 'a..b@example.org' is not valid address syntax"_s;
    QTest::newRow("leading dot") << u".alice@example.org"_s
                                 << u"error: the local part of '.alice@example.org' is not valid address syntax"_s;
    QTest::newRow("trailing dot in local part")
        << u"alice.@example.org"_s << u"error: the local part of 'alice.@example.org' is not valid address syntax"_s;
    QTest::newRow("unquoted @") << u"a@b@example.org"_s
                                << u"error: the local part of 'a@b@example.org' is not valid address syntax"_s;
    QTest::newRow("unquoted space") << u"john doe@example.org"_s
                                    << u"error: the local part of 'john doe@example.org' is not valid address syntax"_s;
    QTest::newRow("angle brackets") << u"<alice@example.org>"_s
                                    << u"error: the local part of '<alice@example.org>' is not valid address syntax"_s;
    QTest::newRow("quoted, escape at the end")
        << u"\"a\\\"@example.org"_s << u"error: the local part of '\"a\\\"@example.org' is not valid address syntax"_s;
    QTest::newRow("quoted control character") << u"\"a\u0001b\"@example.org"_s << kAnyError;
    QTest::newRow("space after @") << u"alice@ example.org"_s << kAnyError;
}

void TestAddress::parseMailAddress()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    const QString actual = compared(describe(promail::parseMailAddress(input)), expected);
    QCOMPARE(actual, expected);
}

QTEST_GUILESS_MAIN(TestAddress)
#include "tst_address.moc"
