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

    /// Every link made anew: the offerer's at once, the answerer's asked of the offerer.
    void restartLinks() override;
    /// Links made anew so far (tests and status).
    uint64_t linksRemade() const override { return m_linksRemade; }

private:
    /// One other member: its link now, and how often the pair's link was made anew.
    struct Peer {
        RemoteMember* member = nullptr;
        bool offerer = false; ///< this member makes the pair's links (the lower index)
        bool sending = false; ///< startSending came: a new link sends at once
        uint32_t link = 0;    ///< which making of the link `current` is
        std::unique_ptr<PeerLink> current;
    };
    void makeLink(uint32_t index, Peer& peer);
    /// The link to `index` goes; a new one, the `link`-th, takes its place.
    void remake(uint32_t index, Peer& peer, uint32_t link);

    TransportContext m_context;
    /// The camera is encoded once for every peer: the slowest link sets its rate.
    std::unique_ptr<CongestionControl> m_congestion;
    uint64_t m_bytesSentByGone = 0; ///< by links torn down since
    std::map<uint32_t, Peer> m_peers;
    uint64_t m_linksRemade = 0;
};

} // namespace conclave::media
