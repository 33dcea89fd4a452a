// promaild: the ProMail daemon. Exit codes: 0 stopped cleanly, 2 configuration or start-up error.
#include "core/logging.h"
#include "core/serverconfig.h"
#include "daemon.h"
#include "net/tlscontext.h"

#include "promail/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace
{
int fail(const QString& message)
{
    std::fprintf(stderr, "promaild: %s\n", qPrintable(message));
    return 2;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"promaild"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(promail::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"ProMail mail server daemon"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(u"config"_s, u"Configuration file (INI)."_s, u"FILE"_s,
                                          promail::ServerConfig::kDefaultPath);
    const QCommandLineOption checkOption(u"check-config"_s, u"Validate the configuration and exit (0 valid, 2 not)."_s);
    const QCommandLineOption fingerprintOption(u"print-fingerprint"_s,
                                               u"Print the SHA-256 fingerprint of the server certificate and exit."_s);
    parser.addOptions({configOption, checkOption, fingerprintOption});
    if (!parser.parse(app.arguments()))
        return fail(parser.errorText());
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return fail(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().first()));

    promail::Logging::install();
    const auto config = promail::ServerConfig::load(parser.value(configOption));
    if (!config)
        return fail(config.error().message);

    // Everything that can be checked without side effects is checked first, so that a bad
    // configuration gives one error line and nothing else.
    if (const promail::Status checked = promail::Daemon::check(*config); !checked)
        return fail(checked.error().message);
    if (parser.isSet(checkOption))
    {
        std::printf("%s: configuration is valid\n", qPrintable(config->path));
        return 0;
    }
    if (parser.isSet(fingerprintOption))
    {
        const auto fingerprint =
            promail::TlsContext::fingerprintOfFile(promail::Daemon::defaultTlsFiles(*config).certPath);
        if (!fingerprint)
            return fail(fingerprint.error().message);
        std::printf("%s\n", qPrintable(*fingerprint));
        return 0;
    }

    promail::Daemon daemon(*config);
    QObject::connect(&daemon, &promail::Daemon::stopped, &app, [] { QCoreApplication::exit(0); });
    if (const promail::Status started = daemon.start(); !started)
        return fail(started.error().message);
    return app.exec();
}
