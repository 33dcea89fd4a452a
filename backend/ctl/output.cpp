#include "output.h"

#include <cstdio>

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

void write(std::FILE* stream, const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

Output::Output(bool json) : m_json(json)
{
}

void Output::print(const QString& text)
{
    write(stdout, text + u'\n');
}

void Output::printError(const QString& text)
{
    write(stderr, text + u'\n');
}

QString Output::text(const QJsonValue& value)
{
    switch (value.type())
    {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return u"-"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
    {
        const double number = value.toDouble();
        const auto whole = static_cast<qint64>(number);
        return static_cast<double>(whole) == number ? QString::number(whole) : QString::number(number);
    }
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
    {
        QStringList parts;
        for (const QJsonValue& item : value.toArray())
            parts << text(item);
        return parts.join(u", "_s);
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

void Output::json(const QJsonValue& value) const
{
    QJsonDocument document;
    if (value.isObject())
        document.setObject(value.toObject());
    else if (value.isArray())
        document.setArray(value.toArray());
    else
    {
        // A bare scalar is not a JSON document for QJsonDocument; wrap and unwrap it.
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        write(stdout, QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2)) + u'\n');
        return;
    }
    write(stdout, QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
}

void Output::table(const QJsonObject& page, const QList<Column>& columns) const
{
    if (m_json)
    {
        json(page);
        return;
    }
    QList<QStringList> rows;
    QStringList header;
    for (const Column& column : columns)
        header << column.header;
    rows << header;
    for (const QJsonValue& item : page.value(u"items"_s).toArray())
    {
        const QJsonObject object = item.toObject();
        QStringList cells;
        for (const Column& column : columns)
        {
            QString cell = column.format ? column.format(object) : text(object.value(column.key));
            // An empty cell would shift the columns for anyone reading the table with awk.
            cells << (cell.isEmpty() ? u"-"_s : cell);
        }
        rows << cells;
    }

    QList<qsizetype> widths(columns.size(), 0);
    for (const QStringList& row : rows)
    {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    QString out;
    for (const QStringList& row : rows)
    {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
        {
            if (i > 0)
                line += u"  "_s;
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i)) : row.at(i);
        }
        out += line + u'\n';
    }
    write(stdout, out);
}

void Output::object(const QJsonObject& object, const QStringList& order) const
{
    if (m_json)
    {
        json(object);
        return;
    }
    QStringList keys = order;
    for (auto it = object.begin(); it != object.end(); ++it)
    {
        if (!keys.contains(it.key()))
            keys << it.key();
    }
    QString out;
    for (const QString& key : keys)
    {
        if (object.contains(key))
            out += QString(key + u": "_s + text(object.value(key))).trimmed() + u'\n';
    }
    write(stdout, out);
}

void Output::confirm(const QJsonValue& result, const QString& message) const
{
    if (m_json)
        json(result);
    else
        print(message);
}

void Output::error(const ApiError& error)
{
    QString line = u"error: "_s + error.message;
    if (!error.field.isEmpty())
        line += u" (field: "_s + error.field + u')';
    printError(line);
}

void Output::usageError(const QString& message, const QString& usage)
{
    printError(u"promailctl: "_s + message);
    if (!usage.isEmpty())
        printError(u"usage: "_s + QString(usage).replace(u'\n', u"\n       "_s));
    printError(u"Run 'promailctl --help' for every command."_s);
}

} // namespace promail
