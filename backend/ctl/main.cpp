// promailctl: the admin command line. It is an API client like the panel: it speaks the admin
// API over the local socket and links shared/ only, never a backend library.
#include "commandline.h"
#include "commandtable.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    promail::CommandLine commandLine(promail::allCommands());
    return commandLine.run(QCoreApplication::arguments().mid(1));
}
