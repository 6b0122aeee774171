// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/TransportChoice.h"

#include "media/JanusTransport.h"
#include "media/MeshTransport.h"

namespace conclave::call {

media::TransportFactory transportFor(std::function<const policy::Backend*()> backend)
{
    return [backend = std::move(backend)](
               const media::TransportContext& context) -> std::unique_ptr<media::MediaTransport> {
        const policy::Backend* described = backend ? backend() : nullptr;
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
