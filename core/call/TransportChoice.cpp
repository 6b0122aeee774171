// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/TransportChoice.h"

#include "call/TurnAccess.h"
#include "media/JanusTransport.h"
#include "media/MeshTransport.h"

namespace conclave::call {

media::TransportFactory
transportFor(std::function<const policy::Backend*()> backend,
             std::function<std::optional<turn::TurnCredentials>()> turnCredentials)
{
    return [backend = std::move(backend), turnCredentials = std::move(turnCredentials)](
               const media::TransportContext& given) -> std::unique_ptr<media::MediaTransport> {
        const policy::Backend* described = backend ? backend() : nullptr;
        media::TransportContext context = given;
        auto access = turnAccessFor(described, turnCredentials ? turnCredentials() : std::nullopt);
        if (!access) {
            if (context.reportProblem)
                context.reportProblem(access.error());
            return nullptr;
        }
        if (access->decides()) {
            context.options.turnServers = std::move(access->servers);
            context.options.relayOnly = access->relayOnly;
        }
        if (described && described->kind == policy::BackendKind::HubJanus)
            return std::make_unique<media::JanusTransport>(context);
        return std::make_unique<media::MeshTransport>(context);
    };
}

media::TransportFactory transportFor(const meeting::MediaView& view)
{
    return transportFor([&view] { return view.meetingBackend(); });
}

} // namespace conclave::call
