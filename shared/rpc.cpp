#include "shared/rpc.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace promail::rpc
{

namespace
{

QByteArray toLine(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray withoutNewline(const QByteArray& line)
{
    QByteArray bytes = line;
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    return bytes;
}

} // namespace

QByteArray encodeRequest(int id, const QString& method, const QJsonObject& params)
{
    QJsonObject object;
    object.insert(kId, id);
    object.insert(kMethod, method);
    object.insert(kParams, params);
    return toLine(object);
}

QByteArray encodeResult(const QJsonValue& id, const QJsonValue& result)
{
    QJsonObject object;
    object.insert(kId, id);
    object.insert(kResult, result);
    return toLine(object);
}

QByteArray encodeError(const QJsonValue& id, const ApiError& error)
{
    QJsonObject object;
    object.insert(kId, id);
    object.insert(kError, error.toJson());
    return toLine(object);
}

ParsedRequest parseRequest(const QByteArray& line)
{
    ParsedRequest parsed;
    QJsonParseError jsonError;
    const QJsonDocument document = QJsonDocument::fromJson(withoutNewline(line), &jsonError);
    if (jsonError.error != QJsonParseError::NoError || !document.isObject())
    {
        parsed.error = ApiError::invalid({}, u"the request is not a JSON object"_s);
        return parsed;
    }
    const QJsonObject object = document.object();
    const QJsonValue id = object.value(kId);
    if (id.isDouble())
        parsed.id = id;
    for (auto it = object.begin(); it != object.end(); ++it)
    {
        if (it.key() != kId && it.key() != kMethod && it.key() != kParams)
        {
            parsed.error = ApiError::invalid(it.key(), u"unknown envelope key '%1'"_s.arg(it.key()));
            return parsed;
        }
    }
    if (!id.isDouble())
    {
        parsed.error = ApiError::invalid(kId, u"id must be a number"_s);
        return parsed;
    }
    const QJsonValue method = object.value(kMethod);
    if (!method.isString() || method.toString().isEmpty())
    {
        parsed.error = ApiError::invalid(kMethod, u"method must be a non-empty string"_s);
        return parsed;
    }
    const QJsonValue params = object.value(kParams);
    if (!params.isUndefined() && !params.isObject())
    {
        parsed.error = ApiError::invalid(kParams, u"params must be an object"_s);
        return parsed;
    }
    parsed.request = Request{id, method.toString(), params.toObject()};
    return parsed;
}

ParsedResponse parseResponse(const QByteArray& line)
{
    QJsonParseError jsonError;
    const QJsonDocument document = QJsonDocument::fromJson(withoutNewline(line), &jsonError);
    if (jsonError.error != QJsonParseError::NoError || !document.isObject())
        return {std::nullopt, u"the response is not a JSON object"_s};
    const QJsonObject object = document.object();
    const QJsonValue error = object.value(kError);
    if (!error.isUndefined())
    {
        if (!error.isObject() || !error.toObject().value(u"message"_s).isString())
            return {std::nullopt, u"the response has a malformed error"_s};
        return {Response{object.value(kId), QJsonValue::Undefined, ApiError::fromJson(error.toObject())}, {}};
    }
    if (!object.contains(kResult))
        return {std::nullopt, u"the response has neither result nor error"_s};
    return {Response{object.value(kId), object.value(kResult), std::nullopt}, {}};
}

} // namespace promail::rpc
