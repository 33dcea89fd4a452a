#pragma once

#include "shared/apierror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace promail
{

struct Column
{
    QString header; // upper case, one word: "QUOTA_MIB"
    QString key;    // the item's key, when `format` is not set
    std::function<QString(const QJsonObject&)> format = {};
};

// Everything promailctl prints. Human output: aligned tables for lists, "key: value" lines for one
// object, a short sentence for a change. With --json every command prints the API result instead.
class Output
{
public:
    explicit Output(bool json);

    bool isJson() const { return m_json; }

    void table(const QJsonObject& page, const QList<Column>& columns) const;
    void object(const QJsonObject& object, const QStringList& order) const;
    void confirm(const QJsonValue& result, const QString& message) const;
    void json(const QJsonValue& value) const;

    static void error(const ApiError& error);
    static void usageError(const QString& message, const QString& usage);
    static void print(const QString& text);
    static void printError(const QString& text);

    // How one JSON value reads in a table cell or after "key: ".
    static QString text(const QJsonValue& value);

private:
    bool m_json = false;
};

} // namespace promail
