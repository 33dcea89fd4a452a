#include "core/inifile.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
Error lineError(int line, const QString& message)
{
    return Error::invalid(u"line %1"_s.arg(line), u"line %1: %2"_s.arg(line).arg(message));
}

bool isNameChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-' ||
           c == u'.' || c == u':' || c == u'*';
}

bool isName(const QString& text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text)
    {
        if (!isNameChar(c))
            return false;
    }
    return true;
}
} // namespace

Result<QList<IniEntry>> IniFile::parse(QByteArrayView text)
{
    if (text.size() > kMaxSize)
        return Error{ErrorCode::TooLarge, u"file is larger than 1 MiB"_s, {}};
    if (text.contains('\0'))
        return Error::invalid({}, u"file contains a NUL byte"_s);
    const QString decoded = QString::fromUtf8(text);
    if (decoded.contains(QChar::ReplacementCharacter))
        return Error::invalid({}, u"file is not valid UTF-8"_s);

    QList<IniEntry> entries;
    QSet<QString> seen;
    QString section;
    int lineNumber = 0;
    for (QStringView rawLine : QStringTokenizer(decoded, u'\n'))
    {
        ++lineNumber;
        const QString line = rawLine.trimmed().toString();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'['))
        {
            if (!line.endsWith(u']'))
                return lineError(lineNumber, u"section header must end with ']'"_s);
            section = line.mid(1, line.size() - 2).trimmed();
            if (!isName(section))
                return lineError(lineNumber, u"'%1' is not a valid section name"_s.arg(section));
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0)
            return lineError(lineNumber, u"expected 'key = value' or '[section]'"_s);
        const QString key = line.left(equals).trimmed();
        if (!isName(key))
            return lineError(lineNumber, u"'%1' is not a valid key name"_s.arg(key));
        if (section.isEmpty())
            return lineError(lineNumber, u"key '%1' appears before any [section]"_s.arg(key));
        const QString qualified = section + u'/' + key;
        if (seen.contains(qualified))
            return lineError(lineNumber, u"key '%1' is given twice in [%2]"_s.arg(key, section));
        seen.insert(qualified);
        entries.append({section, key, line.mid(equals + 1).trimmed(), lineNumber});
    }
    return entries;
}

} // namespace promail
