// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/MeshTransport.h"

#include "media/SignalMessage.h"

namespace conclave::media {

MeshTransport::MeshTransport(const TransportContext& context) : m_context(context)
{
    if (m_context.local)
        m_congestion = std::make_unique<CongestionControl>(
            *m_context.local, m_context.options.videoBitrate, [this] {
                std::map<uint32_t, GstElement*> sending;
                for (const auto& [index, link] : m_links)
                    if (link->sending())
                        sending.emplace(index, link->webrtc());
                return sending;
            });
}

MeshTransport::~MeshTransport() = default;

TransportFactory MeshTransport::factory()
{
    return [](const TransportContext& context) -> std::unique_ptr<MediaTransport> {
        return std::make_unique<MeshTransport>(context);
    };
}

void MeshTransport::addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member)
{
    if (index == ownIndex || m_links.count(index))
        return;
    auto send = [send = m_context.sendSignal, index](const SignalMessage& message) {
        send(index, message.encode());
    };
    m_links[index] =
        std::make_unique<PeerLink>(m_context.pipeline, *m_context.local, m_context.options, member,
                                   ownIndex < index, send, m_context.reportProblem);
}

void MeshTransport::removeMember(uint32_t index)
{
    if (const auto link = m_links.find(index); link != m_links.end()) {
        m_bytesSentByGone += link->second->bytesSent();
        m_links.erase(link);
        if (m_congestion)
            m_congestion->removeLink(index);
    }
}

uint64_t MeshTransport::bytesSent() const
{
    uint64_t total = m_bytesSentByGone;
    for (const auto& [index, link] : m_links)
        total += link->bytesSent();
    return total;
}

void MeshTransport::startSending(uint32_t index)
{
    if (const auto link = m_links.find(index); link != m_links.end())
        link->second->startSending();
}

Result<void> MeshTransport::onSignal(uint32_t from, const QByteArray& payload)
{
    const auto link = m_links.find(from);
    if (link == m_links.end())
        return makeError("media.unknown_peer",
                         "a media set-up message came from someone this member has no "
                         "connection with (not in the current roster)");
    auto message = SignalMessage::decode(payload);
    if (!message)
        return message.error();
    return link->second->onSignal(*message);
}

void MeshTransport::useTurnServers(std::vector<turn::TurnServer> servers)
{
    if (auto checked = turn::checkTurnServers(servers, m_context.options.relayOnly); !checked) {
        if (m_context.reportProblem)
            m_context.reportProblem(checked.error());
        return;
    }
    // Each PeerLink copied the options it was made with; only links made from now on see these.
    m_context.options.turnServers = std::move(servers);
}

void MeshTransport::stop()
{
    for (const auto& [index, link] : m_links)
        m_bytesSentByGone += link->bytesSent();
    m_links.clear();
    m_congestion.reset();
}

} // namespace conclave::media
