#include "shared/apierror.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{
struct CodeName
{
    ErrorCode code;
    QLatin1StringView name;
};

constexpr CodeName kCodeNames[] = {
    {ErrorCode::Conflict, "conflict"_L1},       {ErrorCode::Forbidden, "forbidden"_L1},
    {ErrorCode::Internal, "internal"_L1},       {ErrorCode::Invalid, "invalid"_L1},
    {ErrorCode::NotFound, "not_found"_L1},      {ErrorCode::RateLimited, "rate_limited"_L1},
    {ErrorCode::TooLarge, "too_large"_L1},      {ErrorCode::Unauthenticated, "unauthenticated"_L1},
    {ErrorCode::Unavailable, "unavailable"_L1},
};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto& entry : kCodeNames)
    {
        if (entry.code == code)
            return entry.name;
    }
    return u"internal"_s;
}

ErrorCode errorCodeFromName(const QString& name)
{
    for (const auto& entry : kCodeNames)
    {
        if (entry.name == name)
            return entry.code;
    }
    return ErrorCode::Internal;
}

QJsonObject ApiError::toJson() const
{
    QJsonObject object{{u"code"_s, errorCodeName(code)}, {u"message"_s, message}};
    if (!field.isEmpty())
        object.insert(u"field"_s, field);
    return object;
}

ApiError ApiError::fromJson(const QJsonObject& object)
{
    return {errorCodeFromName(object.value(u"code"_s).toString()), object.value(u"message"_s).toString(),
            object.value(u"field"_s).toString()};
}

} // namespace promail
