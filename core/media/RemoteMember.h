// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"
#include "crypto/SframeCipherSuite.h"
#include "media/MediaOptions.h"
#include "media/RtpLossCounter.h"
#include "media/SinkFactory.h"
#include "media/StreamKind.h"
#include "media/StreamStats.h"

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace conclave::media {

/// What one other member's streams need on this side, whatever carries them (a mesh link,
/// an SFU subscription): its SFrame keys per stream kind, and per stream a receive branch
/// depayloader ! conclavesframedec ! decoder ! sink (load mode: ! fakesink after the
/// decryptor) in the meeting's pipeline. A transport hands it the RTP pad of each stream it
/// receives from this member (attach) and takes the branch away when the stream ends or is
/// re-mapped (detach). Only the keys decide what decrypts: a pad handed to the wrong member
/// (a wrong mapping in the SFU) carries frames that fail to authenticate, never another
/// member's media under this member's name.
///
/// Keys are held here (guarded memory) until retired and wiped, so a decryptor built later
/// gets every key still valid for its stream, each retired one with its time.
///
/// Threads: attach may be called from GStreamer's threads (webrtcbin's pad-added); the rest
/// from the owner's thread. Detach and the destructor wait for a branch's pad to be between
/// buffers, so call them from any thread but one pushing into that pad.
class RemoteMember {
public:
    RemoteMember(GstElement* pipeline, const MediaOptions& options, uint32_t index,
                 SinkFactory sinks);
    /// Tears every branch down (the rest of the pipeline keeps running) and wipes the keys.
    ~RemoteMember();
    RemoteMember(const RemoteMember&) = delete;
    RemoteMember& operator=(const RemoteMember&) = delete;

    /// The member's roster index (what the sink factory and statistics are told).
    uint32_t index() const { return m_index; }

    /// The member's key for one of its streams in the current epoch (kept until retired).
    /// Installing a key again that was retired leaves it retired; a KID seen again with
    /// another key (16 epochs later) replaces the old one.
    void setKey(StreamKind kind, uint64_t kid, crypto::CipherSuite suite, crypto::ByteView baseKey);
    /// Keeps an old key until `at` for frames still in flight, then wipes it - here and in a
    /// decryptor built later for the stream, whatever is installed in between.
    void retireKey(StreamKind kind, uint64_t kid, TimePoint at);
    /// Wipes the keys of one stream kind now (e.g. the chair revoked the share permission).
    void dropKeys(StreamKind kind);
    /// Wipes every retired key whose time is at or before `now`, even if no frame arrives.
    void pruneKeys(TimePoint now);
    /// Keys held for `kind` (current and retired, not yet wiped): diagnostics and tests.
    size_t keysHeld(StreamKind kind) const;

    /// Builds the receive branch for an incoming RTP pad of stream `kind` (caps with the
    /// kind's payload type) and links `pad` to it. A branch already there for `kind` is
    /// detached first (the stream was re-mapped). The pad stays the transport's.
    void attach(StreamKind kind, GstPad* pad);
    /// Takes the branch of `kind` away while the pipeline runs: the pad is unlinked between
    /// two buffers, the branch set to NULL and removed. From then on buffers on the pad are
    /// dropped (the transport's element never sees a not-linked flow) until it is attached
    /// again, to this or another member. Statistics of the branch go with it.
    void detach(StreamKind kind);
    /// The same, only if the branch of `kind` is the one on `pad` (a transport taking back one
    /// pad while a newer pad of the same stream may already be attached).
    void detach(StreamKind kind, GstPad* pad);
    bool attached(StreamKind kind) const;
    /// Drops every buffer on a transport's pad that no member takes (a stream the transport
    /// cannot attribute to anyone), so its element never sees a not-linked flow; whichever
    /// member the pad is attached to later takes the drop off.
    static void park(GstPad* pad);

    /// Cheap: when each attached stream first decoded (load mode: first authenticated frame),
    /// counted from this object's creation (the moment the member joined this side's roster).
    std::map<StreamKind, std::chrono::milliseconds> firstFrames() const;
    /// Per attached stream; rates cover the last stretch of at least a second between two
    /// calls. `rtp` are the transport's packet counts per stream, if it has them.
    std::vector<StreamStats> stats();
    /// Video streams whose packets have kept arriving for at least `patience` while no frame
    /// came out of the depayloader: it waits for a keyframe (the one it needed was lost, or
    /// came before the branch was linked). Each stream is named again only after another
    /// `patience`, so the caller can ask the sender for a keyframe each time. Owner's thread.
    std::vector<StreamKind> starvedOfKeyframes(std::chrono::steady_clock::time_point now,
                                               std::chrono::milliseconds patience);

private:
    /// One stream's receive branch and its counters (probes point here, so it stays put).
    struct Branch {
        GstPad* pad = nullptr; ///< the transport's (a reference held)
        std::vector<GstElement*> elements;
        GstElement* decryptor = nullptr;
        std::atomic<uint64_t> decoded{0};
        std::atomic<uint64_t> bytes{0};   ///< protected frame bytes reaching the decryptor
        std::atomic<uint64_t> packets{0}; ///< RTP packets reaching the depayloader
        std::mutex lossMutex;             ///< the streaming thread counts, stats() reads
        RtpLossCounter loss;
        /// starvedOfKeyframes' view (owner's thread): counts at the last look, and since when
        /// packets came with no frame.
        uint64_t watchedPackets = 0;
        uint64_t watchedBytes = 0;
        std::optional<std::chrono::steady_clock::time_point> starvedSince;
        std::atomic<int> width{0};
        std::atomic<int> height{0};
        /// steady_clock ticks of the first decoded (load mode: authenticated) frame; 0 = none
        std::atomic<int64_t> firstDecodedAt{0};
        /// The previous stats() sample, for rates.
        std::chrono::steady_clock::time_point sampledAt{};
        uint64_t sampledFrames = 0;
        uint64_t sampledBytes = 0;
        double framesPerSecond = 0; ///< over the last window of at least a second
        double bitsPerSecond = 0;
    };
    /// A key of the member's, held (guarded, wiped) for a decryptor built later.
    struct HeldKey {
        uint64_t kid;
        crypto::CipherSuite suite;
        crypto::SecureBuffer key;
        std::optional<TimePoint> retireAt;
    };

    std::unique_ptr<Branch> build(StreamKind kind, GstPad* pad);
    void teardown(Branch& branch);
    /// Gives a decryptor just built every key held for its stream, retired ones with their
    /// time. Caller holds m_mutex.
    void installKeys(StreamKind kind);
    void pruneLocked(TimePoint now);

    static GstPadProbeReturn countDecoded(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    /// Load mode: when the first authenticated frame came (nothing is decoded).
    static GstPadProbeReturn noteFirstFrame(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    static GstPadProbeReturn countBytes(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    static GstPadProbeReturn countPackets(GstPad* pad, GstPadProbeInfo* info, gpointer data);

    GstElement* m_pipeline;
    MediaOptions m_options;
    uint32_t m_index;
    SinkFactory m_sinks;
    std::chrono::steady_clock::time_point m_created;

    mutable std::mutex m_mutex; ///< guards the maps below (streaming threads attach)
    std::map<StreamKind, std::unique_ptr<Branch>> m_branches;
    /// The member's current key and retired ones not yet past their time, per stream.
    std::map<StreamKind, std::vector<HeldKey>> m_keys;
};

} // namespace conclave::media
