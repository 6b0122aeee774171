// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaOptionsCli.h"

namespace conclave::app {

void addMediaOptions(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("media"),
                   QStringLiteral("Media: 'off' (default), 'test' (test pattern and tone) or "
                                  "'devices' (camera and microphone); end-to-end encrypted, "
                                  "with statistics."),
                   QStringLiteral("MODE"), QStringLiteral("off")});
    cmd.addOption({QStringLiteral("camera"),
                   QStringLiteral("Camera id from 'conclave-cli devices' (default: the first)."),
                   QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("microphone"),
                   QStringLiteral("Microphone id from 'conclave-cli devices' (default: the "
                                  "first)."),
                   QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("media-address"),
                   QStringLiteral("Offer media connections only on this local address "
                                  "(repeatable; default every interface)."),
                   QStringLiteral("ADDR")});
}

Result<std::optional<media::MediaOptions>> mediaOptionsFrom(CommandParser& cmd)
{
    const QString mode = cmd.parser().value(QStringLiteral("media"));
    if (mode == QLatin1String("off"))
        return std::optional<media::MediaOptions>();
    if (mode != QLatin1String("test") && mode != QLatin1String("devices"))
        return makeError("usage",
                         "--media is 'off', 'test' or 'devices', not '" + mode.toStdString() + "'");
    media::MediaOptions options;
    options.testSources = mode == QLatin1String("test");
    options.camera = cmd.parser().value(QStringLiteral("camera"));
    options.microphone = cmd.parser().value(QStringLiteral("microphone"));
    options.localAddresses = cmd.parser().values(QStringLiteral("media-address"));
    return std::optional<media::MediaOptions>(options);
}

} // namespace conclave::app
