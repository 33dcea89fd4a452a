#pragma once

#include <QString>

#include <optional>

namespace promail
{

// --password-stdin: one line from standard input, trailing newline stripped, so a password never
// appears in argv or the process list. On a terminal it prompts and turns echo off.
class PasswordReader
{
public:
    static std::optional<QString> readLine();
};

} // namespace promail
