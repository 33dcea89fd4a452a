#include "message/mimeparameterlist.h"

#include "message/encodedword.h"
#include "message/mimeheadercursor.h"
#include "message/transferencoding.h"

#include <QStringDecoder>

#include <algorithm>

namespace promail
{

namespace
{

// One "name*N*=value" as written, before continuations are joined (RFC 2231 §3, §4).
struct RawParameter
{
    QByteArray base;
    int section = -1; // -1: no "*N"
    bool encoded = false;
    QByteArray value;

    bool isRfc2231() const { return section >= 0 || encoded; }
};

constexpr int kMaxRawParameters = 2000;

RawParameter splitName(QByteArray name, QByteArray value)
{
    RawParameter raw;
    raw.value = std::move(value);
    name = name.toLower();
    if (name.size() > 1 && name.endsWith('*'))
    {
        raw.encoded = true;
        name.chop(1);
    }
    const qsizetype star = name.lastIndexOf('*');
    if (star > 0 && star + 1 < name.size() && name.size() - star - 1 <= 4)
    {
        bool allDigits = true;
        for (qsizetype i = star + 1; i < name.size(); ++i)
            allDigits = allDigits && name[i] >= '0' && name[i] <= '9';
        if (allDigits)
        {
            raw.section = name.mid(star + 1).toInt();
            name.truncate(star);
        }
    }
    raw.base = std::move(name);
    return raw;
}

// RFC 2231 §7 attribute-char: what an extended value may hold without %XX.
bool isAttributeChar(char c)
{
    return isMimeTokenChar(c) && c != '*' && c != '\'' && c != '%';
}

QByteArray percentEncoded(QByteArrayView text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    QByteArray encoded;
    for (const char c : text)
    {
        if (isAttributeChar(c))
        {
            encoded += c;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        encoded += '%';
        encoded += kHex[u >> 4];
        encoded += kHex[u & 15];
    }
    return encoded;
}

// A '%' not followed by two hex digits stays as written.
QByteArray percentDecoded(QByteArrayView text)
{
    QByteArray bytes;
    bytes.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i)
    {
        if (text[i] == '%' && i + 2 < text.size())
        {
            const int high = TransferEncoding::hexDigit(text[i + 1]);
            const int low = TransferEncoding::hexDigit(text[i + 2]);
            if (high >= 0 && low >= 0)
            {
                bytes += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        bytes += text[i];
    }
    return bytes;
}

// Bytes in a charset named by RFC 2231; an unknown or missing charset is read as UTF-8 when the
// bytes are UTF-8 and as Latin-1 otherwise.
QString decodeCharset(const QByteArray& charset, const QByteArray& bytes)
{
    if (!charset.isEmpty())
    {
        QStringDecoder decoder(charset.constData());
        if (decoder.isValid())
            return decoder.decode(bytes);
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8.decode(bytes);
    return utf8.hasError() ? QString::fromLatin1(bytes) : text;
}

// RFC 2231 §3, §4: the sections of one name joined; charset and language come from section 0.
MimeParameter joinSections(const QByteArray& base, QList<RawParameter> sections)
{
    std::stable_sort(sections.begin(), sections.end(),
                     [](const RawParameter& a, const RawParameter& b) { return a.section < b.section; });
    // Only an unbroken run from 0 counts; a gap or a repeated number ends it.
    qsizetype count = 0;
    while (count < sections.size() && sections[count].section == count)
        ++count;
    if (count == 0 && !sections.isEmpty() && sections.first().section < 0)
        count = 1; // the single "name*=" form
    sections.resize(count);

    const bool extended =
        std::any_of(sections.cbegin(), sections.cend(), [](const RawParameter& s) { return s.encoded; });
    MimeParameter parameter;
    parameter.name = base;
    if (!extended)
    {
        for (const RawParameter& section : std::as_const(sections))
            parameter.wireValue += section.value;
        parameter.value = decodeEncodedWords(parameter.wireValue);
        return parameter;
    }

    QByteArray charset;
    QByteArray language;
    QByteArray text;
    for (const RawParameter& section : std::as_const(sections))
    {
        if (!section.encoded)
        {
            text += percentEncoded(section.value); // RFC 2231 §4.1: unencoded sections may mix in
            continue;
        }
        QByteArrayView value = section.value;
        if (&section == &sections.first())
        {
            // RFC 2231 §4: charset'language'text; a value without both quotes is all text.
            const qsizetype first = value.indexOf('\'');
            const qsizetype second = first < 0 ? -1 : value.indexOf('\'', first + 1);
            if (second >= 0)
            {
                charset = value.first(first).toByteArray();
                language = value.sliced(first + 1, second - first - 1).toByteArray();
                value = value.sliced(second + 1);
            }
        }
        text += value;
    }
    parameter.extended = true;
    parameter.wireValue = charset + '\'' + language + '\'' + text;
    parameter.value = decodeCharset(charset, percentDecoded(text));
    return parameter;
}

} // namespace

MimeParameterList MimeParameterList::parse(MimeHeaderCursor& cursor)
{
    QList<RawParameter> raws;
    while (raws.size() < kMaxRawParameters)
    {
        cursor.skipCfws();
        if (cursor.atEnd())
            break;
        if (cursor.skip(';'))
            continue;
        const QByteArray name = cursor.token();
        if (name.isEmpty() || !cursor.skip('='))
        {
            cursor.skipPast(';');
            continue;
        }
        cursor.skipCfws();
        QByteArray value;
        if (cursor.peek() == '"')
        {
            value = cursor.quotedString();
            cursor.skipCfws();
            if (!cursor.atEnd() && cursor.peek() != ';')
                cursor.skipPast(';');
        }
        else
        {
            value = cursor.rawUntil(';');
            // A token followed only by a comment ("us-ascii (Plain text)") is the token.
            MimeHeaderCursor inner(value);
            const QByteArray token = inner.token();
            inner.skipCfws();
            if (!token.isEmpty() && inner.atEnd())
                value = token;
        }
        raws.append(splitName(name, std::move(value)));
    }

    MimeParameterList list;
    QList<QByteArray> plainSeen;
    QList<QByteArray> extendedSeen;
    for (const RawParameter& raw : std::as_const(raws))
    {
        if (list.m_parameters.size() >= kMaxParameters)
            break;
        if (raw.base.isEmpty())
            continue;
        if (!raw.isRfc2231())
        {
            if (plainSeen.contains(raw.base))
                continue;
            plainSeen.append(raw.base);
            list.m_parameters.append({raw.base, decodeEncodedWords(raw.value), raw.value, false});
            continue;
        }
        if (extendedSeen.contains(raw.base))
            continue;
        extendedSeen.append(raw.base);
        QList<RawParameter> sections;
        for (const RawParameter& other : std::as_const(raws))
        {
            if (other.isRfc2231() && other.base == raw.base && sections.size() < kMaxSections)
                sections.append(other);
        }
        MimeParameter joined = joinSections(raw.base, std::move(sections));
        if (!joined.wireValue.isEmpty() || !joined.value.isEmpty() || joined.extended)
            list.m_parameters.append(std::move(joined));
    }
    return list;
}

const MimeParameter* MimeParameterList::find(QByteArrayView name) const
{
    const MimeParameter* plain = nullptr;
    for (const MimeParameter& parameter : m_parameters)
    {
        if (QByteArrayView(parameter.name).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (parameter.extended)
            return &parameter;
        if (!plain)
            plain = &parameter;
    }
    return plain;
}

bool MimeParameterList::contains(QByteArrayView name) const
{
    return find(name) != nullptr;
}

QString MimeParameterList::value(QByteArrayView name) const
{
    const MimeParameter* parameter = find(name);
    return parameter ? parameter->value : QString();
}

QByteArray MimeParameterList::rawValue(QByteArrayView name) const
{
    const MimeParameter* parameter = find(name);
    if (!parameter)
        return {};
    return parameter->extended ? parameter->value.toUtf8() : parameter->wireValue;
}

} // namespace promail
