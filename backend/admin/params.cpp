#include "admin/params.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace promail
{

void Params::fail(const QString& key, const QString& message)
{
    if (!m_error)
        m_error = Error::invalid(key, message);
}

std::optional<QJsonValue> Params::value(const QString& key)
{
    m_known.insert(key);
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return v;
}

QString Params::required(const QString& key)
{
    const auto v = string(key);
    if (!v || v->trimmed().isEmpty())
    {
        fail(key, u"'%1' is required"_s.arg(key));
        return {};
    }
    return *v;
}

std::optional<QString> Params::string(const QString& key)
{
    const auto v = value(key);
    if (!v)
        return std::nullopt;
    if (!v->isString())
    {
        fail(key, u"'%1' must be a string"_s.arg(key));
        return std::nullopt;
    }
    return v->toString();
}

std::optional<QString> Params::choice(const QString& key, const QStringList& allowed)
{
    const auto v = string(key);
    if (v && !allowed.contains(*v))
    {
        fail(key, u"'%1' must be one of: %2"_s.arg(key, allowed.join(u", "_s)));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> Params::boolean(const QString& key)
{
    const auto v = value(key);
    if (!v)
        return std::nullopt;
    if (!v->isBool())
    {
        fail(key, u"'%1' must be true or false"_s.arg(key));
        return std::nullopt;
    }
    return v->toBool();
}

std::optional<qint64> Params::integer(const QString& key, qint64 minimum, qint64 maximum)
{
    const auto v = value(key);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble();
    if (!v->isDouble() || d != double(qint64(d)))
    {
        fail(key, u"'%1' must be a whole number"_s.arg(key));
        return std::nullopt;
    }
    if (qint64(d) < minimum || qint64(d) > maximum)
    {
        fail(key, u"'%1' must be between %2 and %3"_s.arg(key).arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<QStringList> Params::stringList(const QString& key)
{
    const auto v = value(key);
    if (!v)
        return std::nullopt;
    if (v->isString())
        return v->toString().split(u',', Qt::SkipEmptyParts);
    if (!v->isArray())
    {
        fail(key, u"'%1' must be a list of strings"_s.arg(key));
        return std::nullopt;
    }
    QStringList list;
    for (const QJsonValue& item : v->toArray())
    {
        if (!item.isString())
        {
            fail(key, u"'%1' must be a list of strings"_s.arg(key));
            return std::nullopt;
        }
        list.append(item.toString());
    }
    return list;
}

Status Params::finish() const
{
    if (m_error)
        return *m_error;
    for (auto it = m_object.begin(); it != m_object.end(); ++it)
    {
        if (!m_known.contains(it.key()))
            return Error::invalid(it.key(), u"unknown parameter '%1'"_s.arg(it.key()));
    }
    return {};
}

} // namespace promail
