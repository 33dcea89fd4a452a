#include "protocols/imap/modifiedutf7.h"

#include <QList>
#include <QString>

namespace promail
{

namespace
{
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int alphabetIndex(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

bool isPrintableAscii(char16_t c)
{
    return c >= 0x20 && c <= 0x7e;
}

void appendRun(QByteArray& out, const QList<char16_t>& units)
{
    out += '&';
    quint32 bits = 0;
    int count = 0;
    for (char16_t unit : units)
    {
        bits = (bits << 16) | unit;
        count += 16;
        while (count >= 6)
        {
            count -= 6;
            out += kAlphabet[(bits >> count) & 0x3f];
        }
    }
    if (count > 0)
        out += kAlphabet[(bits << (6 - count)) & 0x3f];
    out += '-';
}
} // namespace

QByteArray ModifiedUtf7::encode(QByteArrayView utf8)
{
    const QString name = QString::fromUtf8(utf8);
    QByteArray out;
    QList<char16_t> run;
    for (const QChar c : name)
    {
        const char16_t unit = c.unicode();
        if (isPrintableAscii(unit))
        {
            if (!run.isEmpty())
            {
                appendRun(out, run);
                run.clear();
            }
            if (unit == u'&')
                out += "&-";
            else
                out += char(unit);
            continue;
        }
        run.append(unit);
    }
    if (!run.isEmpty())
        appendRun(out, run);
    return out;
}

std::optional<QByteArray> ModifiedUtf7::decode(QByteArrayView wire)
{
    QString name;
    bool afterRun = false; // a run just ended: another may not follow at once (it would be one run)
    qsizetype i = 0;
    while (i < wire.size())
    {
        const char c = wire[i];
        if (!isPrintableAscii(char16_t(static_cast<unsigned char>(c))))
            return std::nullopt;
        if (c != '&')
        {
            name += QLatin1Char(c);
            afterRun = false;
            ++i;
            continue;
        }
        const qsizetype end = wire.indexOf('-', i + 1);
        if (end < 0)
            return std::nullopt;
        if (end == i + 1)
        {
            name += u'&';
            afterRun = false;
            i = end + 1;
            continue;
        }
        if (afterRun)
            return std::nullopt;
        quint32 bits = 0;
        int count = 0;
        QString run;
        for (qsizetype j = i + 1; j < end; ++j)
        {
            const int value = alphabetIndex(wire[j]);
            if (value < 0)
                return std::nullopt;
            bits = (bits << 6) | quint32(value);
            count += 6;
            if (count >= 16)
            {
                count -= 16;
                run += QChar(char16_t((bits >> count) & 0xffff));
            }
        }
        // RFC 3501 §5.1.3 (RFC 2152): fewer than six padding bits, all zero.
        if (count >= 6 || (bits & ((1u << count) - 1)) != 0 || run.isEmpty())
            return std::nullopt;
        for (qsizetype k = 0; k < run.size(); ++k)
        {
            const QChar unit = run[k];
            if (isPrintableAscii(unit.unicode()))
                return std::nullopt; // printable US-ASCII must stand for itself
            if (unit.isHighSurrogate())
            {
                if (k + 1 >= run.size() || !run[k + 1].isLowSurrogate())
                    return std::nullopt;
                ++k;
            }
            else if (unit.isLowSurrogate())
                return std::nullopt;
        }
        name += run;
        afterRun = true;
        i = end + 1;
    }
    return name.toUtf8();
}

} // namespace promail
