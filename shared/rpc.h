#pragma once

#include "shared/apierror.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QString>

#include <optional>

namespace promail::rpc
{

// The admin API envelope (docs/admin-api.md "Envelope"): one JSON object per line,
//   request  {"id": N, "method": "domains.create", "params": {...}}
//   response {"id": N, "result": ...} or {"id": N, "error": {"code", "message", "field"}}
// Both promaild and its clients build and read lines only through these helpers.

inline constexpr QLatin1StringView kId{"id"};
inline constexpr QLatin1StringView kMethod{"method"};
inline constexpr QLatin1StringView kParams{"params"};
inline constexpr QLatin1StringView kResult{"result"};
inline constexpr QLatin1StringView kError{"error"};

// Paging keys shared by every list method.
inline constexpr QLatin1StringView kQuery{"q"};
inline constexpr QLatin1StringView kLimit{"limit"};
inline constexpr QLatin1StringView kCursor{"cursor"};
inline constexpr QLatin1StringView kItems{"items"};
inline constexpr QLatin1StringView kNextCursor{"next_cursor"};

// A request line longer than this is refused with too_large and the connection is closed.
inline constexpr qsizetype kMaxRequestLineBytes = 1024 * 1024;

struct Request
{
    QJsonValue id; // a number; kept as JSON so the response echoes it unchanged
    QString method;
    QJsonObject params;
};

struct ParsedRequest
{
    std::optional<Request> request;
    QJsonValue id = QJsonValue::Null; // the request's id when it could be read, for the error response
    ApiError error;                   // why the line is not a request, when request is empty
};

struct Response
{
    QJsonValue id;
    QJsonValue result;
    std::optional<ApiError> error; // set for an error response; result is then undefined
};

struct ParsedResponse
{
    std::optional<Response> response;
    QString error; // why the line is not a response, when response is empty
};

// Each encoder returns one compact JSON line ending in '\n'.
QByteArray encodeRequest(int id, const QString& method, const QJsonObject& params);
QByteArray encodeResult(const QJsonValue& id, const QJsonValue& result);
QByteArray encodeError(const QJsonValue& id, const ApiError& error);

// Parsers accept a line with or without its trailing '\n'.
ParsedRequest parseRequest(const QByteArray& line);
ParsedResponse parseResponse(const QByteArray& line);

} // namespace promail::rpc
