#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace promail
{

// Reads typed parameters from an API request. The first problem wins: a wrong type, a missing
// required key, or (at finish()) a key the method does not know, each named in `field`.
class Params
{
public:
    explicit Params(const QJsonObject& object) : m_object(object) {}

    QString required(const QString& key);
    std::optional<QString> string(const QString& key);
    std::optional<QString> choice(const QString& key, const QStringList& allowed);
    std::optional<bool> boolean(const QString& key);
    std::optional<qint64> integer(const QString& key, qint64 minimum = 0, qint64 maximum = (qint64(1) << 40));
    std::optional<QStringList> stringList(const QString& key); // a JSON array, or one comma-separated string
    std::optional<QJsonValue> value(const QString& key);

    Status finish() const;

private:
    void fail(const QString& key, const QString& message);

    QJsonObject m_object;
    QSet<QString> m_known;
    std::optional<Error> m_error;
};

} // namespace promail
