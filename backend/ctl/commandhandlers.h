#pragma once

#include "command.h"
#include "output.h"

#include <QString>
#include <QStringList>

namespace promail::handlers
{

// Most verbs are one API call whose params come straight from the command line; these build
// their handlers so that the command tables stay declarative.

// Prints one object as "key: value" lines, `order` first.
Handler show(const QString& method, const QStringList& order);

// Prints every page of a list method as a table.
Handler list(const QString& method, const QList<Column>& columns);

// Calls a mutation and confirms it: `message` gets the result's `nameKey` (the canonical name,
// e.g. the A-label) or, when the result has none (deletes), the first argument.
Handler change(const QString& method, const QString& message, const QString& nameKey);

} // namespace promail::handlers
