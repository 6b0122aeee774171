// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "media/EpochKeys.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/MediaTransport.h"
#include "media/RemoteMember.h"
#include "media/SinkFactory.h"
#include "media/StreamStats.h"

#include <QByteArray>
#include <QObject>

#include <gst/gst.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace conclave::media {

/// One member's media for one meeting (docs/media.md): a GStreamer pipeline with the local
/// streams, encoded once, a RemoteMember per other admitted member (its keys, its decrypt and
/// decode branches) and a transport that carries the streams (MediaTransport: the mesh's
/// PeerLinks, or an SFU). Driven by the meeting layer: each epoch brings the roster and keys
/// (applyEpoch), signalling comes and goes through the hub as signed `signal` messages
/// (onSignal / signalReady), and mute, stop video, share and suspend open and close the local
/// streams (setSending). The key schedule lives here only, whatever the transport.
///
/// Keys: a peer's new key is installed the moment the epoch is known, its old key kept for
/// kOldKeyGrace and then wiped, whatever is installed in the meantime; this member's own streams
/// switch to the new key kSendSwitchDelay later, so members still processing the change lose no
/// frames (docs/e2ee.md §3).
class MediaMesh : public QObject {
    Q_OBJECT

public:
    static constexpr std::chrono::seconds kSendSwitchDelay{2};
    static constexpr std::chrono::seconds kOldKeyGrace{10};
    /// The `peer` the sink factory is asked for this member's own camera (the self view).
    static constexpr uint32_t kSelfView = 0xFFFFFFFE;

    /// With `sinks`, this member's own camera also goes to sinks(kSelfView, Camera).
    /// `transport` makes the carriage (none given: the mesh, MeshTransport).
    static Result<std::unique_ptr<MediaMesh>>
    create(const MediaOptions& options, SinkFactory sinks = {}, TransportFactory transport = {});
    ~MediaMesh() override;

    /// The roster and keys of a new epoch: newcomers get a RemoteMember and the transport is
    /// told of them, those gone are taken from the transport and wiped, keys installed. Nothing is
    /// sent before the first epoch (no key, no media).
    void applyEpoch(const EpochKeys& keys);
    /// Everyone holds `epoch`: this member's streams move to its keys now rather than after
    /// kSendSwitchDelay.
    void confirmEpoch(uint64_t epoch);
    /// A signed `signal` from member `from` (the hub routed it; the session checked the
    /// signature and that the sender is in the roster).
    Result<void> onSignal(uint32_t from, const QByteArray& payload);
    /// The SFU room the hub sent this member to (hub+janus; again after a move), checked
    /// against the policy by the caller. Kept for a transport made later; the mesh refuses it.
    Result<void> useRoom(const SfuRoom& room);
    /// Opens or closes one of this member's streams (mute, stop video, share, suspend).
    void setSending(StreamKind kind, bool sending);
    bool sending(StreamKind kind) const { return m_local->sending(kind); }
    /// Removed, left or ended: the transport stops, every key is wiped, nothing is sent.
    void stop();

    /// Per peer and stream (RemoteMember::stats with the transport's RTP counts).
    std::vector<StreamStats> stats();
    /// Cheap: per peer, when each of its streams first decoded (after it joined the roster).
    std::map<uint32_t, std::map<StreamKind, std::chrono::milliseconds>> firstFrames() const;
    const LocalStreams& local() const { return *m_local; }
    /// The meeting's pipeline (diagnostics and tests: e.g. to find a transport's pads).
    GstElement* pipeline() const { return m_pipeline; }
    /// The carriage, made with the first epoch (nullptr before).
    MediaTransport* transport() { return m_transport.get(); }
    /// How long the last epoch's own key change took to reach the encryptors (benchmarks).
    std::optional<std::chrono::milliseconds> lastSendSwitch() const { return m_lastSendSwitch; }

signals:
    /// A set-up message for member `to`, to be sent as a signed `signal` through the hub.
    void signalReady(uint32_t to, const QByteArray& payload);
    /// This member's streams now use `epoch`'s keys, `afterMs` after the epoch arrived.
    void ownKeysSwitched(quint64 epoch, qint64 afterMs);
    /// Something the user should hear about (code, reason), e.g. a key the stream refused.
    void problem(const QString& code, const QString& reason);

private:
    MediaMesh(GstElement* pipeline, MediaOptions options, SinkFactory sinks);
    void switchOwnKeys(uint64_t epoch);

    GstElement* m_pipeline;
    MediaOptions m_options;
    SinkFactory m_sinks;
    std::unique_ptr<LocalStreams> m_local;
    /// Every other member of the roster, by index (destroyed after the transport lets go).
    std::map<uint32_t, std::unique_ptr<RemoteMember>> m_members;
    /// Declared after m_members, so it goes first: it hands streams to them.
    std::unique_ptr<MediaTransport> m_transport;
    TransportFactory m_transportFactory;
    TransportContext m_context;
    std::optional<SfuRoom> m_room;
    /// The epoch each member joined in: this member's streams go to it once they use that
    /// epoch's keys (or a later one's).
    std::map<uint32_t, uint64_t> m_memberEpochs;
    std::optional<uint64_t> m_sendingEpoch;
    std::optional<uint32_t> m_ownIndex;
    /// Current key per (member, stream), to retire when the next epoch replaces it.
    std::map<std::pair<uint32_t, StreamKind>, uint64_t> m_currentKids;
    /// Own keys waiting for kSendSwitchDelay, by epoch (guarded memory, wiped when dropped).
    std::map<uint64_t, std::map<StreamKind, std::pair<uint64_t, crypto::SecureBuffer>>>
        m_pendingOwn;
    crypto::CipherSuite m_suite = crypto::CipherSuite::ChaCha20Poly1305Sha256;
    std::chrono::steady_clock::time_point m_epochSeen;
    std::optional<std::chrono::milliseconds> m_lastSendSwitch;
    bool m_stopped = false;
};

} // namespace conclave::media
