// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CommandParser.h"
#include "ExitCode.h"
#include "media/DeviceList.h"

namespace conclave::app {

int runDevices(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("devices"),
                      QStringLiteral("List the cameras and microphones media can use: one "
                                     "'device' line each (kind, id for --camera / "
                                     "--microphone, name), then a 'devices' summary."),
                      out);
    if (auto stop = cmd.parse(args, 0))
        return *stop;
    int cameras = 0;
    int microphones = 0;
    for (const media::MediaDevice& d : media::DeviceList::list()) {
        const bool camera = d.kind == media::MediaDevice::Kind::Camera;
        (camera ? cameras : microphones)++;
        out.write({{QStringLiteral("event"), QStringLiteral("device")},
                   {QStringLiteral("kind"),
                    camera ? QStringLiteral("camera") : QStringLiteral("microphone")},
                   {QStringLiteral("id"), d.id},
                   {QStringLiteral("name"), d.name}});
    }
    out.write({{QStringLiteral("event"), QStringLiteral("devices")},
               {QStringLiteral("cameras"), cameras},
               {QStringLiteral("microphones"), microphones}});
    return kExitOk;
}

} // namespace conclave::app
