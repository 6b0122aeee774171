// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/MeshTransport.h"

#include "media/SignalMessage.h"

namespace conclave::media {

MeshTransport::MeshTransport(const TransportContext& context) : m_context(context) {}

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
    m_peers[index] = {ownIndex, &member, 0};
    makeLink(index);
}

void MeshTransport::makeLink(uint32_t index)
{
    const Peer& peer = m_peers.at(index);
    auto send = [send = m_context.sendSignal, index, link = peer.link](SignalMessage message) {
        message.link = link; // what this making of the link says, and nothing older
        send(index, message.encode());
    };
    m_links[index] = std::make_unique<PeerLink>(
        m_context.pipeline, *m_context.local, m_context.options, *peer.member,
        peer.ownIndex < index, send, m_context.reportProblem);
}

void MeshTransport::removeMember(uint32_t index)
{
    if (const auto link = m_links.find(index); link != m_links.end()) {
        m_bytesSentByGone += link->second->bytesSent();
        m_links.erase(link);
    }
    m_peers.erase(index);
}

void MeshTransport::restartIfDown(uint32_t index)
{
    const auto link = m_links.find(index);
    const auto peer = m_peers.find(index);
    if (link == m_links.end() || peer == m_peers.end() || link->second->iceConnected())
        return;
    if (peer->second.ownIndex > index)
        return; // the peer offers: it makes the link again and tells us
    const int next = peer->second.link + 1;
    remake(index, next);
    SignalMessage restart;
    restart.type = SignalMessage::Type::Restart;
    restart.link = next;
    m_context.sendSignal(index, restart.encode());
}

void MeshTransport::remake(uint32_t index, int link)
{
    const bool wasSending = m_links.at(index)->sending();
    if (const auto old = m_links.find(index); old != m_links.end()) {
        m_bytesSentByGone += old->second->bytesSent();
        m_links.erase(old); // the old webrtcbin goes first: the new one takes over its streams
    }
    m_peers.at(index).link = link;
    makeLink(index);
    if (wasSending)
        m_links.at(index)->startSending();
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
    const int current = m_peers.at(from).link;
    if (message->type == SignalMessage::Type::Restart && message->link > current) {
        remake(from, message->link); // the new offer follows
        return {};
    }
    if (message->link != current)
        return {}; // said by a link since made anew (still on its way when it went): moot
    return link->second->onSignal(*message);
}

std::map<uint32_t, std::map<StreamKind, RtpCounts>> MeshTransport::rtpCounts()
{
    std::map<uint32_t, std::map<StreamKind, RtpCounts>> out;
    for (const auto& [index, link] : m_links)
        out[index] = link->rtpCounts();
    return out;
}

void MeshTransport::stop()
{
    for (const auto& [index, link] : m_links)
        m_bytesSentByGone += link->bytesSent();
    m_links.clear();
}

} // namespace conclave::media
