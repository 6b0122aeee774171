// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaOptionsCli.h"

namespace conclave::app {

void addMediaOptions(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("media"),
                   QStringLiteral("Media: 'off' (default), 'test' (test pattern and tone), "
                                  "'devices' (camera and microphone) or 'load' (low-resolution "
                                  "test media; received frames are authenticated, not "
                                  "decoded); end-to-end encrypted, with statistics."),
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
    const bool load = mode == QLatin1String("load");
    if (mode != QLatin1String("test") && mode != QLatin1String("devices") && !load)
        return makeError("usage",
                         "--media is 'off', 'test', 'devices' or 'load', not '" +
                             mode.toStdString() + "'",
                         ErrorCategory::InvalidInput);
    media::MediaOptions options;
    options.testSources = mode == QLatin1String("test") || load;
    if (load) { // many members on one machine: small frames, every one still authenticated
        options.authenticateOnly = true;
        options.width = 160;
        options.height = 120;
        options.framesPerSecond = 10;
        options.videoBitrate = 100000;
        options.audioFrameMilliseconds = 60; // a third of the packets
    }
    options.camera = cmd.parser().value(QStringLiteral("camera"));
    options.microphone = cmd.parser().value(QStringLiteral("microphone"));
    options.localAddresses = cmd.parser().values(QStringLiteral("media-address"));
    return std::optional<media::MediaOptions>(options);
}

} // namespace conclave::app
