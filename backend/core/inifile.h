#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace promail
{

// One `key = value` line of an INI file, with where it came from for error messages.
struct IniEntry
{
    QString section;
    QString key;
    QString value;
    int line = 0;
};

// A strict INI reader: `[section]`, `key = value`, blank lines and `#`/`;` comment lines.
// Anything else, a key outside a section or a key given twice in one section is an error
// naming the line. QSettings is not used: it rewrites keys and accepts anything.
class IniFile
{
public:
    static constexpr qsizetype kMaxSize = 1024 * 1024;

    static Result<QList<IniEntry>> parse(QByteArrayView text);
};

} // namespace promail
