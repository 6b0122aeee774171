// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/MediaTransport.h"
#include "media/PeerLink.h"

#include <map>
#include <memory>

namespace conclave::media {

/// The mesh (embedded and standalone hub): one PeerLink to every other member of the roster,
/// made by whoever has the lower roster index (it offers); SDP and ICE go member to member as
/// signed `signal` messages through the hub. Each link sends to its peer only once
/// startSending says the peer holds this member's current keys.
class MeshTransport : public MediaTransport {
public:
    explicit MeshTransport(const TransportContext& context);
    ~MeshTransport() override;
    /// For MediaMesh::create (also what it uses when given no factory).
    static TransportFactory factory();

    const char* name() const override { return "mesh"; }
    void addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member) override;
    void removeMember(uint32_t index) override;
    void startSending(uint32_t index) override;
    Result<void> onSignal(uint32_t from, const QByteArray& payload) override;
    uint64_t bytesSent() const override;
    void stop() override;
    CongestionControl* congestion() override { return m_congestion.get(); }
    void useTurnServers(std::vector<turn::TurnServer> servers) override;
    /// What a link made now gets (tests).
    const std::vector<turn::TurnServer>& turnServersForNewLinks() const
    {
        return m_context.options.turnServers;
    }

private:
    TransportContext m_context;
    /// The camera is encoded once for every peer: the slowest link sets its rate.
    std::unique_ptr<CongestionControl> m_congestion;
    uint64_t m_bytesSentByGone = 0; ///< by links torn down since
    std::map<uint32_t, std::unique_ptr<PeerLink>> m_links;
};

} // namespace conclave::media
