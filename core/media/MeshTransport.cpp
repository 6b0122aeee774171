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
                for (const auto& [index, peer] : m_peers)
                    if (peer.current->sending())
                        sending.emplace(index, peer.current->webrtc());
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
    if (index == ownIndex || m_peers.count(index))
        return;
    Peer& peer = m_peers[index];
    peer.member = &member;
    peer.offerer = ownIndex < index;
    makeLink(index, peer);
}

void MeshTransport::makeLink(uint32_t index, Peer& peer)
{
    auto send = [send = m_context.sendSignal, index, link = peer.link](SignalMessage message) {
        message.link = link;
        send(index, message.encode());
    };
    peer.current =
        std::make_unique<PeerLink>(m_context.pipeline, *m_context.local, m_context.options,
                                   *peer.member, peer.offerer, send, m_context.reportProblem);
    if (peer.sending)
        peer.current->startSending(); // the peer holds this member's keys already
}

void MeshTransport::remake(uint32_t index, Peer& peer, uint32_t link)
{
    // The old link's streams leave the member's branches before the new one brings its own.
    m_bytesSentByGone += peer.current->bytesSent();
    if (m_congestion)
        m_congestion->removeLink(index);
    peer.current.reset();
    peer.link = link;
    ++m_linksRemade;
    makeLink(index, peer);
}

void MeshTransport::removeMember(uint32_t index)
{
    if (const auto peer = m_peers.find(index); peer != m_peers.end()) {
        m_bytesSentByGone += peer->second.current->bytesSent();
        m_peers.erase(peer);
        if (m_congestion)
            m_congestion->removeLink(index);
    }
}

uint64_t MeshTransport::bytesSent() const
{
    uint64_t total = m_bytesSentByGone;
    for (const auto& [index, peer] : m_peers)
        total += peer.current->bytesSent();
    return total;
}

void MeshTransport::startSending(uint32_t index)
{
    if (const auto peer = m_peers.find(index); peer != m_peers.end()) {
        peer->second.sending = true;
        peer->second.current->startSending();
    }
}

Result<void> MeshTransport::onSignal(uint32_t from, const QByteArray& payload)
{
    const auto found = m_peers.find(from);
    if (found == m_peers.end())
        return makeError("media.unknown_peer",
                         "a media set-up message came from someone this member has no "
                         "connection with (not in the current roster)");
    auto message = SignalMessage::decode(payload);
    if (!message)
        return message.error();
    Peer& peer = found->second;
    if (message->link < peer.link)
        return {}; // about a link since made anew: nothing to do with the one in use
    if (message->type == SignalMessage::Type::Restart) {
        if (!peer.offerer)
            return makeError("media.unexpected_restart",
                             "the peer asked for a new link, but this member does not make them");
        remake(from, peer, std::max(peer.link, message->link) + 1);
        return {};
    }
    if (message->link > peer.link) {
        // Only the offerer starts a new making of the link: its offer (or one of its new
        // link's candidates, which may overtake the offer) makes the answerer's new one.
        if (peer.offerer || message->type == SignalMessage::Type::Answer)
            return makeError("media.unexpected_link",
                             "the peer sent a set-up message for a link this member never made");
        remake(from, peer, message->link);
    }
    return peer.current->onSignal(*message);
}

void MeshTransport::restartLinks()
{
    for (auto& [index, peer] : m_peers) {
        if (peer.offerer) {
            remake(index, peer, peer.link + 1);
            continue;
        }
        SignalMessage ask;
        ask.type = SignalMessage::Type::Restart;
        ask.link = peer.link;
        m_context.sendSignal(index, ask.encode());
    }
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
    for (const auto& [index, peer] : m_peers)
        m_bytesSentByGone += peer.current->bytesSent();
    m_peers.clear();
    m_congestion.reset();
}

} // namespace conclave::media
