#pragma once

#include <QHash>
#include <QString>

namespace promail
{

// The few lines of promaild.conf that promailctl needs, read by the rules of docs/configuration.md
// ("key = value", "[section]", '#'/';' comments). Not QSettings: it would rewrite keys and treat
// ',' and quotes specially, which promaild does not.
class ConfigFile
{
public:
    static QString defaultPath();
    static QString defaultDataDir();

    bool load(const QString& path);
    QString errorString() const { return m_error; }

    // The value of `key` in `[section]`, or `fallback` when the file does not set it.
    QString value(const QString& section, const QString& key, const QString& fallback = {}) const;

    // A path value: relative paths are relative to the file's own folder, as promaild reads them.
    QString path(const QString& section, const QString& key, const QString& fallback) const;

private:
    QHash<QString, QString> m_values; // "section/key" -> value
    QString m_directory;
    QString m_error;
};

} // namespace promail
