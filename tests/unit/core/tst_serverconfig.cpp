// The INI file of the interface contract: every key, and a clear error for everything else.
#include "core/serverconfig.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestServerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryContractKey()
    {
        const QByteArray text =
            "# comment\n; another\n[server]\nhostname = Mail.Example.ORG\ndata_dir = /srv/promail\n"
            "user = promail\n\n[listen]\nsmtp = 0.0.0.0:25, [::]:25\nsubmission = 127.0.0.1:587\n"
            "submissions =\nadmin = 127.0.0.1:8443\n[tls]\ncert = certs/server.pem\nkey = /k/server.key\n"
            "[tls:mx.example.net]\ncert = /c/mx.pem\nkey = /c/mx.key\n[database]\n"
            "url = postgresql://promail@db/promail\n[dns]\nresolver = 127.0.0.1@5353\n"
            "trust_anchor = /etc/root.key\n[outbound]\nsmtp_port = 2525\n"_ba;
        const auto config = ServerConfig::parse(text, u"/etc/promail/promaild.conf"_s);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->hostname, u"mail.example.org"_s);
        QCOMPARE(config->dataDir, u"/srv/promail"_s);
        QCOMPARE(config->user, u"promail"_s);
        QCOMPARE(config->listen.keys(), (QStringList{u"admin"_s, u"smtp"_s, u"submission"_s}));
        QCOMPARE(config->listen.value(u"smtp"_s).size(), 2);
        QCOMPARE(config->listen.value(u"smtp"_s).at(0).toString(), u"0.0.0.0:25"_s);
        QCOMPARE(config->listen.value(u"smtp"_s).at(1).toString(), u"[::]:25"_s);
        QCOMPARE(config->tls->certPath, u"/etc/promail/certs/server.pem"_s);
        QCOMPARE(config->tls->keyPath, u"/k/server.key"_s);
        QCOMPARE(config->sniTls.size(), 1);
        QCOMPARE(config->sniTls.at(0).first, u"mx.example.net"_s);
        QCOMPARE(config->sniTls.at(0).second.certPath, u"/c/mx.pem"_s);
        QCOMPARE(config->databaseUrl, u"postgresql://promail@db/promail"_s);
        QCOMPARE(config->dnsResolver, u"127.0.0.1@5353"_s);
        QCOMPARE(config->dnsTrustAnchor, u"/etc/root.key"_s);
        QCOMPARE(config->outboundSmtpPort, quint16(2525));
    }

    void defaults()
    {
        const auto config = ServerConfig::parse("[server]\nhostname = mx.example.org\n", u"/x/p.conf"_s);
        QVERIFY(config.ok());
        QCOMPARE(config->dataDir, u"/var/lib/promail"_s);
        QVERIFY(config->listen.isEmpty());
        QVERIFY(!config->tls.has_value());
        QCOMPARE(config->dnsResolver, u"system"_s);
        QCOMPARE(config->outboundSmtpPort, quint16(25));
        QVERIFY(config->databaseUrl.isEmpty());
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown key") << "[server]\nhostnme = x.example.org\n"_ba
                                     << u"/p.conf:2: unknown key 'hostnme' in [server]"_s << u"server.hostnme"_s;
        QTest::newRow("unknown section") << "[servr]\nhostname = a.b\n"_ba << u"/p.conf:2: unknown section [servr]"_s
                                         << u"servr.hostname"_s;
        QTest::newRow("unknown service") << "[listen]\nsmtps = 127.0.0.1:465\n"_ba
                                         << u"/p.conf:2: unknown key 'smtps' in [listen]"_s << u"listen.smtps"_s;
        QTest::newRow("key outside section")
            << "hostname = a.b\n"_ba << u"/p.conf: line 1: key 'hostname' appears before any [section]"_s
            << u"line 1"_s;
        QTest::newRow("duplicate key") << "[server]\nuser = a\nuser = b\n"_ba
                                       << u"/p.conf: line 3: key 'user' is given twice in [server]"_s << u"line 3"_s;
        QTest::newRow("not key value") << "[server]\njust words\n"_ba
                                       << u"/p.conf: line 2: expected 'key = value' or '[section]'"_s << u"line 2"_s;
        QTest::newRow("unclosed section")
            << "[server\n"_ba << u"/p.conf: line 1: section header must end with ']'"_s << u"line 1"_s;
        QTest::newRow("no port") << "[listen]\nimap = 127.0.0.1\n"_ba
                                 << u"/p.conf:2: invalid listen address '127.0.0.1': missing port"_s
                                 << u"listen.imap"_s;
        QTest::newRow("bad ip")
            << "[listen]\nimap = mail.example.org:143\n"_ba
            << u"/p.conf:2: invalid listen address 'mail.example.org:143': 'mail.example.org' is not an IP address"_s
            << u"listen.imap"_s;
        QTest::newRow("bare ipv6")
            << "[listen]\nimap = ::1:143\n"_ba
            << u"/p.conf:2: invalid listen address '::1:143': IPv6 addresses must be written in brackets, as [::1]:25"_s
            << u"listen.imap"_s;
        QTest::newRow("port range")
            << "[listen]\npop3 = 127.0.0.1:70000\n"_ba
            << u"/p.conf:2: invalid listen address '127.0.0.1:70000': port 70000 is out of range 1-65535"_s
            << u"listen.pop3"_s;
        QTest::newRow("port zero") << "[listen]\npop3 = [::1]:0\n"_ba
                                   << u"/p.conf:2: invalid listen address '[::1]:0': port 0 is out of range 1-65535"_s
                                   << u"listen.pop3"_s;
        QTest::newRow("bad hostname") << "[server]\nhostname = mail_server\n"_ba
                                      << u"/p.conf:2: hostname 'mail_server' is not a valid host name"_s
                                      << u"server.hostname"_s;
        QTest::newRow("empty user") << "[server]\nuser =\n"_ba << u"/p.conf:2: 'user' must not be empty"_s
                                    << u"server.user"_s;
        QTest::newRow("tls without key") << "[tls]\ncert = /a.pem\n"_ba << u"/p.conf: [tls] needs both cert and key"_s
                                         << u"tls"_s;
        QTest::newRow("sni without cert")
            << "[tls:mx.example.org]\nkey = /a.key\n"_ba << u"/p.conf: [tls:mx.example.org] needs both cert and key"_s
            << u"tls:mx.example.org"_s;
        QTest::newRow("database url") << "[database]\nurl = mysql://x\n"_ba
                                      << u"/p.conf:2: url must start with sqlite: or postgresql://"_s
                                      << u"database.url"_s;
        QTest::newRow("resolver") << "[dns]\nresolver = 8.8.8.8\n"_ba
                                  << u"/p.conf:2: resolver must be 'system' or IP@PORT, like 127.0.0.1@5353"_s
                                  << u"dns.resolver"_s;
        QTest::newRow("outbound port") << "[outbound]\nsmtp_port = twenty-five\n"_ba
                                       << u"/p.conf:2: 'twenty-five' is not a port between 1 and 65535"_s
                                       << u"outbound.smtp_port"_s;
        QTest::newRow("nul byte") << QByteArray("[server]\0\n", 10) << u"/p.conf: file contains a NUL byte"_s
                                  << QString();
        QTest::newRow("not utf-8") << "[server]\nhostname = \xff\n"_ba << u"/p.conf: file is not valid UTF-8"_s
                                   << QString();
    }

    void rejects()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        QFETCH(QString, field);
        const auto config = ServerConfig::parse(text, u"/p.conf"_s);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, ErrorCode::Invalid);
        QCOMPARE(config.error().message, message);
        QCOMPARE(config.error().field, field);
    }

    void parseListenAddress_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("address"); // "" when an error is expected
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("error");

        QTest::newRow("ipv4") << u"127.0.0.1:25"_s << u"127.0.0.1"_s << 25 << QString();
        QTest::newRow("ipv6") << u"[::1]:587"_s << u"::1"_s << 587 << QString();
        QTest::newRow("any v4, spaces") << u" 0.0.0.0:993 "_s << u"0.0.0.0"_s << 993 << QString();
        QTest::newRow("any v6") << u"[::]:65535"_s << u"::"_s << 65535 << QString();
        QTest::newRow("full v6") << u"[2001:db8::25]:4190"_s << u"2001:db8::25"_s << 4190 << QString();

        QTest::newRow("empty") << u""_s << QString() << 0 << u"empty listen address"_s;
        QTest::newRow("no port") << u"127.0.0.1"_s << QString() << 0
                                 << u"invalid listen address '127.0.0.1': missing port"_s;
        QTest::newRow("empty port") << u"127.0.0.1:"_s << QString() << 0
                                    << u"invalid listen address '127.0.0.1:': missing port"_s;
        QTest::newRow("v6 no port") << u"[::1]"_s << QString() << 0
                                    << u"invalid listen address '[::1]': missing port"_s;
        QTest::newRow("v6 unbracketed") << u"::1:25"_s << QString() << 0
                                        << u"invalid listen address '::1:25': IPv6 addresses must be written in "
                                           u"brackets, as [::1]:25"_s;
        QTest::newRow("v6 no colon") << u"[::1]25"_s << QString() << 0
                                     << u"invalid listen address '[::1]25': expected ':' after ']'"_s;
        QTest::newRow("v6 unclosed") << u"[::1:25"_s << QString() << 0
                                     << u"invalid listen address '[::1:25': missing ']'"_s;
        QTest::newRow("host name") << u"localhost:25"_s << QString() << 0
                                   << u"invalid listen address 'localhost:25': 'localhost' is not an IP address"_s;
        QTest::newRow("inet_aton shorthand")
            << u"127.1:25"_s << QString() << 0 << u"invalid listen address '127.1:25': '127.1' is not an IP address"_s;
        QTest::newRow("v4 in brackets") << u"[127.0.0.1]:25"_s << QString() << 0
                                        << u"invalid listen address '[127.0.0.1]:25': '127.0.0.1' is not an IP "
                                           u"address"_s;
        QTest::newRow("octet too big") << u"256.0.0.1:25"_s << QString() << 0
                                       << u"invalid listen address '256.0.0.1:25': '256.0.0.1' is not an IP address"_s;
        QTest::newRow("port zero") << u"127.0.0.1:0"_s << QString() << 0
                                   << u"invalid listen address '127.0.0.1:0': port 0 is out of range 1-65535"_s;
        QTest::newRow("port too big") << u"[::1]:65536"_s << QString() << 0
                                      << u"invalid listen address '[::1]:65536': port 65536 is out of range 1-65535"_s;
        QTest::newRow("port very long") << u"127.0.0.1:00000000025"_s << QString() << 0
                                        << u"invalid listen address '127.0.0.1:00000000025': port 00000000025 is out "
                                           u"of range 1-65535"_s;
        QTest::newRow("service name") << u"127.0.0.1:smtp"_s << QString() << 0
                                      << u"invalid listen address '127.0.0.1:smtp': port 'smtp' is not a number"_s;
        QTest::newRow("negative port") << u"127.0.0.1:-1"_s << QString() << 0
                                       << u"invalid listen address '127.0.0.1:-1': port '-1' is not a number"_s;
    }

    void parseListenAddress()
    {
        QFETCH(QString, text);
        QFETCH(QString, address);
        QFETCH(int, port);
        QFETCH(QString, error);

        const Result<ListenAddress> parsed = ListenAddress::parse(text);
        if (error.isEmpty())
        {
            QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
            QCOMPARE(parsed->host, address);
            QCOMPARE(int(parsed->port), port);
        }
        else
        {
            QVERIFY(!parsed.ok());
            QCOMPARE(parsed.error().message, error);
            QCOMPARE(parsed.error().field, u"listen"_s);
        }
    }

    void unreadableFileNamesIt()
    {
        const auto config = ServerConfig::load(u"/nonexistent/promaild.conf"_s);
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.startsWith(u"/nonexistent/promaild.conf: cannot read:"_s),
                 qPrintable(config.error().message));
    }

    void shippedConfigIsValid()
    {
        const auto config = ServerConfig::load(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/installer/promaild.conf"_s);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->listen.value(u"smtp"_s).first().port, quint16(25));
        QCOMPARE(config->listen.value(u"admin"_s).first().toString(), u"127.0.0.1:8443"_s);
    }
};

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
