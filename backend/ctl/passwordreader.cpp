#include "passwordreader.h"

#include <cstdio>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace promail
{

std::optional<QString> PasswordReader::readLine()
{
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    const bool echoOff = terminal && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (echoOff)
    {
        std::fputs("Password: ", stderr);
        std::fflush(stderr);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }

    std::string line;
    bool gotAny = false;
    for (int c = std::fgetc(stdin); c != EOF; c = std::fgetc(stdin))
    {
        gotAny = true;
        if (c == '\n')
            break;
        line.push_back(static_cast<char>(c));
    }

    if (echoOff)
    {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputs("\n", stderr);
    }
    if (!gotAny)
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

} // namespace promail
