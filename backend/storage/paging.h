#pragma once

#include <QList>
#include <QString>

namespace promail
{

// A page request of a list operation (docs/admin-api.md "Paging"): an optional substring filter,
// a page size and the opaque cursor returned with the previous page.
struct PageRequest
{
    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 1000;

    QString query;
    int limit = kDefaultLimit;
    QString cursor; // the sort key of the last item already seen; empty = from the start
};

template <typename T>
struct Page
{
    QList<T> items;
    QString nextCursor; // empty when this was the last page
};

// Cuts a result that was fetched with limit + 1 rows down to the page and sets the cursor.
template <typename T, typename KeyOf>
Page<T> makePage(QList<T> rows, int limit, KeyOf keyOf)
{
    Page<T> page;
    if (rows.size() > limit)
    {
        rows.resize(limit);
        page.nextCursor = keyOf(rows.last());
    }
    page.items = std::move(rows);
    return page;
}

// `LIKE` pattern for a substring filter, with the wildcard characters escaped (ESCAPE '\').
inline QString likePattern(const QString& query)
{
    QString escaped = query;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped.toLower() + QLatin1Char('%');
}

} // namespace promail
