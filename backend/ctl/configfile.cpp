#include "configfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace promail
{

QString ConfigFile::defaultPath()
{
    return u"/etc/promail/promaild.conf"_s;
}

QString ConfigFile::defaultDataDir()
{
    return u"/var/lib/promail"_s;
}

bool ConfigFile::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
    {
        m_error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    m_values.clear();
    m_directory = QFileInfo(path).absolutePath();
    QString section;
    while (!file.atEnd())
    {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']'))
        {
            section = line.mid(1, line.size() - 2).trimmed();
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0)
            continue; // promaild reports malformed lines; a client only needs what it can read
        m_values.insert(section + u'/' + line.left(equals).trimmed(), line.mid(equals + 1).trimmed());
    }
    return true;
}

QString ConfigFile::value(const QString& section, const QString& key, const QString& fallback) const
{
    return m_values.value(section + u'/' + key, fallback);
}

QString ConfigFile::path(const QString& section, const QString& key, const QString& fallback) const
{
    const QString text = value(section, key);
    return text.isEmpty() ? fallback : QDir(m_directory).absoluteFilePath(text);
}

} // namespace promail
