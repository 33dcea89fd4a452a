#pragma once

#include <QJsonObject>
#include <QString>

namespace promail
{

// The one error vocabulary of the admin API (docs/admin-api.md "Errors"). Each transport maps
// these codes once: the local socket and WebSocket send them as-is, REST adds an HTTP status.
enum class ErrorCode
{
    Invalid,         // a parameter breaks a rule; `field` names it
    NotFound,        // the named object does not exist
    Conflict,        // the change clashes with existing state (duplicate, still in use)
    Forbidden,       // the caller may not do this, or the object is protected
    Unauthenticated, // no valid credentials
    TooLarge,        // the request exceeds a size limit
    RateLimited,     // too many attempts; try later
    Unavailable,     // a temporary condition (disk full, database busy)
    Internal,        // a bug or I/O failure; details are in the server log
};

QString errorCodeName(ErrorCode code);
ErrorCode errorCodeFromName(const QString& name);

struct ApiError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QString field;

    static ApiError invalid(const QString& field, const QString& message)
    {
        return {ErrorCode::Invalid, message, field};
    }
    static ApiError notFound(const QString& message) { return {ErrorCode::NotFound, message, {}}; }
    static ApiError conflict(const QString& message, const QString& field = {})
    {
        return {ErrorCode::Conflict, message, field};
    }
    static ApiError forbidden(const QString& message) { return {ErrorCode::Forbidden, message, {}}; }
    static ApiError internal(const QString& message) { return {ErrorCode::Internal, message, {}}; }

    QJsonObject toJson() const;
    static ApiError fromJson(const QJsonObject& object);
};

} // namespace promail
