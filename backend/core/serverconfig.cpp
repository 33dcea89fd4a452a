#include "core/serverconfig.h"

#include "core/inifile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSysInfo>

#include <arpa/inet.h>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
// Normalizes an IPv4 or IPv6 literal (core links only Qt Core, so no QHostAddress here).
std::optional<QString> normalizedIp(const QString& text)
{
    const QByteArray bytes = text.toLatin1();
    unsigned char buffer[16];
    char out[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, bytes.constData(), buffer) == 1)
        return QString::fromLatin1(inet_ntop(AF_INET, buffer, out, sizeof out));
    if (inet_pton(AF_INET6, bytes.constData(), buffer) == 1)
        return QString::fromLatin1(inet_ntop(AF_INET6, buffer, out, sizeof out));
    return std::nullopt;
}
} // namespace

QString ListenAddress::toString() const
{
    if (host.contains(u':'))
        return u"[%1]:%2"_s.arg(host).arg(port);
    return u"%1:%2"_s.arg(host).arg(port);
}

Result<ListenAddress> ListenAddress::parse(const QString& input)
{
    const QString text = input.trimmed();
    const auto fail = [&text](const QString& why) -> Error
    {
        return Error::invalid(u"listen"_s, u"invalid listen address '%1': %2"_s.arg(text, why));
    };
    if (text.isEmpty())
        return Error::invalid(u"listen"_s, u"empty listen address"_s);
    QString host;
    QString rest; // ":PORT" or ""
    const bool bracketed = text.startsWith(u'[');
    if (bracketed)
    {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return fail(u"missing ']'"_s);
        host = text.mid(1, close - 1);
        rest = text.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':'))
            return fail(u"expected ':' after ']'"_s);
    }
    else
    {
        const qsizetype colon = text.indexOf(u':');
        if (colon >= 0 && text.indexOf(u':', colon + 1) >= 0)
            return fail(u"IPv6 addresses must be written in brackets, as [::1]:25"_s);
        host = colon >= 0 ? text.left(colon) : text;
        rest = colon >= 0 ? text.mid(colon) : QString();
    }
    if (rest.size() <= 1)
        return fail(u"missing port"_s);
    const auto ip = normalizedIp(host);
    if (!ip || ip->contains(u':') != bracketed)
        return fail(u"'%1' is not an IP address"_s.arg(host));
    const QString portText = rest.mid(1);
    for (QChar c : portText)
    {
        if (c < u'0' || c > u'9')
            return fail(u"port '%1' is not a number"_s.arg(portText));
    }
    const int port = portText.size() <= 5 ? portText.toInt() : -1;
    if (port < 1 || port > 65535)
        return fail(u"port %1 is out of range 1-65535"_s.arg(portText));
    return ListenAddress{*ip, static_cast<quint16>(port)};
}

const QStringList& ServerConfig::serviceNames()
{
    static const QStringList names{u"smtp"_s, u"submission"_s, u"submissions"_s, u"imap"_s, u"imaps"_s,
                                   u"pop3"_s, u"pop3s"_s,      u"managesieve"_s, u"admin"_s};
    return names;
}

Result<ServerConfig> ServerConfig::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::invalid(path, u"%1: cannot read: %2"_s.arg(path, file.errorString()));
    const QByteArray text = file.read(IniFile::kMaxSize + 1);
    return parse(text, path);
}

namespace
{

class ConfigReader
{
public:
    ConfigReader(ServerConfig& config, const QString& path) : m_config(config), m_path(path) {}

    Status apply(const IniEntry& entry)
    {
        const QString& s = entry.section;
        const QString& k = entry.key;
        const QString& v = entry.value;
        if (s == u"server")
        {
            if (k == u"hostname")
                return setHostname(entry);
            if (k == u"data_dir")
                return setPath(entry, m_config.dataDir);
            if (k == u"user")
                return setNonEmpty(entry, m_config.user);
        }
        else if (s == u"listen")
        {
            if (ServerConfig::serviceNames().contains(k))
                return setListen(entry);
        }
        else if (s == u"tls" || s.startsWith(u"tls:"))
        {
            if (k == u"cert" || k == u"key")
                return setTlsFile(entry);
        }
        else if (s == u"database")
        {
            if (k == u"url")
                return setDatabaseUrl(entry);
        }
        else if (s == u"dns")
        {
            if (k == u"resolver")
                return setResolver(entry);
            if (k == u"trust_anchor")
                return setPath(entry, m_config.dnsTrustAnchor);
        }
        else if (s == u"outbound")
        {
            if (k == u"smtp_port")
                return setPort(entry, m_config.outboundSmtpPort);
        }
        else
        {
            return fail(entry, u"unknown section [%1]"_s.arg(s));
        }
        Q_UNUSED(v);
        return fail(entry, u"unknown key '%1' in [%2]"_s.arg(k, s));
    }

    Status finish()
    {
        if (m_config.tls)
        {
            if (m_config.tls->certPath.isEmpty() || m_config.tls->keyPath.isEmpty())
                return Error::invalid(u"tls"_s, u"%1: [tls] needs both cert and key"_s.arg(m_path));
        }
        for (const auto& [host, files] : m_config.sniTls)
        {
            if (files.certPath.isEmpty() || files.keyPath.isEmpty())
                return Error::invalid(u"tls:"_s + host, u"%1: [tls:%2] needs both cert and key"_s.arg(m_path, host));
        }
        if (m_config.hostname.isEmpty())
            m_config.hostname = QSysInfo::machineHostName().toLower();
        return {};
    }

private:
    Status fail(const IniEntry& entry, const QString& message) const
    {
        return Error::invalid(entry.section + u'.' + entry.key,
                              u"%1:%2: %3"_s.arg(m_path).arg(entry.line).arg(message));
    }

    Status setHostname(const IniEntry& entry)
    {
        const QString name = entry.value.toLower();
        static const QRegularExpression hostPattern(
            u"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"_s);
        if (name.isEmpty() || name.size() > 253 || !hostPattern.match(name).hasMatch())
            return fail(entry, u"hostname '%1' is not a valid host name"_s.arg(entry.value));
        m_config.hostname = name;
        return {};
    }

    Status setNonEmpty(const IniEntry& entry, QString& target)
    {
        if (entry.value.isEmpty())
            return fail(entry, u"'%1' must not be empty"_s.arg(entry.key));
        target = entry.value;
        return {};
    }

    // Relative paths are taken relative to the config file, so a test's config can live beside its data.
    Status setPath(const IniEntry& entry, QString& target)
    {
        if (entry.value.isEmpty())
            return fail(entry, u"'%1' must not be empty"_s.arg(entry.key));
        target = QDir::cleanPath(QFileInfo(m_path).absoluteDir().absoluteFilePath(entry.value));
        return {};
    }

    Status setListen(const IniEntry& entry)
    {
        QList<ListenAddress> addresses;
        for (const QString& part : entry.value.split(u',', Qt::SkipEmptyParts))
        {
            const auto address = ListenAddress::parse(part);
            if (!address)
                return fail(entry, address.error().message);
            addresses.append(*address);
        }
        if (!addresses.isEmpty())
            m_config.listen.insert(entry.key, addresses);
        return {};
    }

    Status setTlsFile(const IniEntry& entry)
    {
        QString path;
        if (const Status status = setPath(entry, path); !status)
            return status;
        TlsFiles* files = nullptr;
        if (entry.section == u"tls")
        {
            if (!m_config.tls)
                m_config.tls = TlsFiles{};
            files = &*m_config.tls;
        }
        else
        {
            const QString host = entry.section.mid(4).toLower();
            if (host.isEmpty())
                return fail(entry, u"[tls:HOST] needs a host name"_s);
            for (auto& [name, sniFiles] : m_config.sniTls)
            {
                if (name == host)
                    files = &sniFiles;
            }
            if (!files)
            {
                m_config.sniTls.append({host, TlsFiles{}});
                files = &m_config.sniTls.last().second;
            }
        }
        (entry.key == u"cert" ? files->certPath : files->keyPath) = path;
        return {};
    }

    Status setDatabaseUrl(const IniEntry& entry)
    {
        if (!entry.value.isEmpty() && !entry.value.startsWith(u"sqlite:"_s) &&
            !entry.value.startsWith(u"postgresql://"_s))
            return fail(entry, u"url must start with sqlite: or postgresql://"_s);
        m_config.databaseUrl = entry.value;
        return {};
    }

    Status setResolver(const IniEntry& entry)
    {
        if (entry.value != u"system")
        {
            const qsizetype at = entry.value.lastIndexOf(u'@');
            bool numeric = false;
            const uint port = at < 0 ? 0 : entry.value.mid(at + 1).toUInt(&numeric);
            if (at < 0 || !normalizedIp(entry.value.left(at)) || !numeric || port == 0 || port > 65535)
                return fail(entry, u"resolver must be 'system' or IP@PORT, like 127.0.0.1@5353"_s);
        }
        m_config.dnsResolver = entry.value;
        return {};
    }

    Status setPort(const IniEntry& entry, quint16& target)
    {
        bool numeric = false;
        const uint port = entry.value.toUInt(&numeric);
        if (!numeric || port == 0 || port > 65535)
            return fail(entry, u"'%1' is not a port between 1 and 65535"_s.arg(entry.value));
        target = static_cast<quint16>(port);
        return {};
    }

    ServerConfig& m_config;
    const QString& m_path;
};

} // namespace

Result<ServerConfig> ServerConfig::parse(QByteArrayView text, const QString& path)
{
    const auto entries = IniFile::parse(text);
    if (!entries)
        return Error::invalid(entries.error().field, path + u": "_s + entries.error().message);
    ServerConfig config;
    config.path = path;
    ConfigReader reader(config, path);
    for (const IniEntry& entry : *entries)
    {
        if (const Status status = reader.apply(entry); !status)
            return status.error();
    }
    if (const Status status = reader.finish(); !status)
        return status.error();
    return config;
}

} // namespace promail
