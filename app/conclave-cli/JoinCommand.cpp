// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliMeeting.h"
#include "CliSetup.h"
#include "ExitCode.h"
#include "MediaOptionsCli.h"
#include "meeting/DisplayName.h"

namespace conclave::app {

int runJoin(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(
        QStringLiteral("join"),
        QStringLiteral("Join a meeting with an invite (conclave:invite:...) or a "
                       "meeting link (conclave:meeting:...). The hub's key must match "
                       "the link's pin, the meeting must be signed by the chair the "
                       "link names, and its marking must be approved for the backend "
                       "actually reached."),
        out);
    addDeviceOptions(cmd);
    addMediaOptions(cmd);
    cmd.addOption({QStringLiteral("name"),
                   QStringLiteral("Display name (an invite's name takes precedence)."),
                   QStringLiteral("N"), QStringLiteral("Participant")});
    cmd.addPositional(QStringLiteral("LINK"), QStringLiteral("Invite or meeting link."),
                      QStringLiteral("LINK"));
    if (auto stop = cmd.parse(args, 1))
        return *stop;

    const SystemClock clock;
    auto target =
        meeting::JoinTarget::fromLink(cmd.parser().positionalArguments().at(0), clock.now());
    if (!target) {
        out.writeFailure("error", target.error());
        return kExitInvalidInput;
    }
    const auto name =
        meeting::checkDisplayName(cmd.parser().value(QStringLiteral("name")), "the --name");
    if (!name) {
        out.writeFailure("error", name.error());
        return kExitInvalidInput;
    }
    auto opened = openDevice(cmd, clock, out);
    if (const int* code = std::get_if<int>(&opened))
        return *code;
    auto& device = *std::get<std::unique_ptr<DeviceContext>>(opened);
    const EffectivePolicy effective = device.loadPolicy(configLocations(cmd));
    for (const Error& notice : effective.notices)
        out.writeFailure("warning", notice);
    if (effective.problem)
        out.writeFailure("warning", *effective.problem);

    auto session = std::make_unique<meeting::ParticipantSession>(
        device.identity(), effective.document, clock, *target, *name);
    auto mediaOptions = mediaOptionsFrom(cmd);
    if (!mediaOptions) {
        out.writeFailure("error", mediaOptions.error());
        return kExitInvalidInput;
    }
    CliMeeting meeting(std::make_unique<conference::ParticipantController>(
                           std::move(session),
                           std::make_unique<client::HubClient>(target->hubUrl, target->hubPin),
                           &device.audit()),
                       effective.document.scheme, out);
    if (*mediaOptions)
        if (auto started = meeting.startMedia(**mediaOptions); !started) {
            out.writeFailure("error", started.error());
            return kExitConnectionOrIdentity;
        }
    return runToCompletion(meeting);
}

} // namespace conclave::app
