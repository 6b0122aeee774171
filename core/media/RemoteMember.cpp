// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/RemoteMember.h"

#include "media/WebrtcParts.h"

#include "media/SframeDecrypt.h"

#include <gst/rtp/rtp.h>

#include <algorithm>
#include <condition_variable>

namespace conclave::media {
namespace {

/// How long detach waits for a pad to be between two buffers. Only a stalled pipeline (not
/// playing) takes that long; the branch is then unlinked anyway.
constexpr auto kIdleWait = std::chrono::milliseconds(500);

/// On a transport's pad with no branch: the id of the probe dropping its buffers. Kept on the
/// pad itself so whichever member the pad is attached to next can take it off.
constexpr const char* kParkedProbe = "conclave-parked-probe";

GstPadProbeReturn dropBuffer(GstPad*, GstPadProbeInfo*, gpointer)
{
    return GST_PAD_PROBE_DROP;
}

void parkPad(GstPad* pad)
{
    if (g_object_get_data(G_OBJECT(pad), kParkedProbe))
        return;
    const gulong id = gst_pad_add_probe(
        pad, GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
        dropBuffer, nullptr, nullptr);
    g_object_set_data(G_OBJECT(pad), kParkedProbe, GSIZE_TO_POINTER(gsize(id)));
}

void unpark(GstPad* pad)
{
    if (const gsize id = GPOINTER_TO_SIZE(g_object_steal_data(G_OBJECT(pad), kParkedProbe)))
        gst_pad_remove_probe(pad, gulong(id));
}

/// Shared between detach and the idle probe, which may run after detach gave up waiting.
struct Unlink {
    explicit Unlink(GstPad* peer) : sink(GST_PAD(gst_object_ref(peer))) {}
    ~Unlink() { gst_object_unref(sink); }
    Unlink(const Unlink&) = delete;
    Unlink& operator=(const Unlink&) = delete;
    GstPad* sink;
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
};

GstPadProbeReturn unlinkWhenIdle(GstPad* pad, GstPadProbeInfo*, gpointer data)
{
    auto& unlink = **static_cast<std::shared_ptr<Unlink>*>(data);
    gst_pad_unlink(pad, unlink.sink);
    {
        std::lock_guard lock(unlink.mutex);
        unlink.done = true;
    }
    unlink.cv.notify_all();
    return GST_PAD_PROBE_REMOVE;
}

void freeUnlink(gpointer data)
{
    delete static_cast<std::shared_ptr<Unlink>*>(data);
}

/// Unlinks `pad` from its peer between two buffers, so no buffer is cut off half-way into the
/// branch (which would answer the transport's element with a flushing flow and stop it).
void unlinkBetweenBuffers(GstPad* pad)
{
    GstPad* peer = gst_pad_get_peer(pad);
    if (!peer)
        return;
    auto unlink = std::make_shared<Unlink>(peer);
    gst_object_unref(peer);
    const gulong id = gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_IDLE, unlinkWhenIdle,
                                        new std::shared_ptr<Unlink>(unlink), freeUnlink);
    std::unique_lock lock(unlink->mutex);
    if (unlink->cv.wait_for(lock, kIdleWait, [&] { return unlink->done; }))
        return;
    lock.unlock();
    if (id != 0)
        gst_pad_remove_probe(pad, id);
    gst_pad_unlink(pad, unlink->sink);
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point from, int64_t ticks)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(ticks)) - from);
}

} // namespace

RemoteMember::RemoteMember(GstElement* pipeline, const MediaOptions& options, uint32_t index,
                           SinkFactory sinks)
    : m_pipeline(pipeline), m_options(options), m_index(index), m_sinks(std::move(sinks)),
      m_created(std::chrono::steady_clock::now())
{
}

RemoteMember::~RemoteMember()
{
    std::map<StreamKind, std::unique_ptr<Branch>> branches;
    {
        std::lock_guard lock(m_mutex);
        branches.swap(m_branches);
        m_keys.clear(); // SecureBuffer wipes
    }
    for (auto& [kind, branch] : branches)
        teardown(*branch);
}

// --- branches ------------------------------------------------------------------------------

void RemoteMember::attach(StreamKind kind, GstPad* pad)
{
    detach(kind);
    std::unique_ptr<Branch> branch = build(kind, pad);
    GstPad* depaySink = gst_element_get_static_pad(branch->elements.front(), "sink");
    {
        std::lock_guard lock(m_mutex);
        m_branches[kind] = std::move(branch);
        installKeys(kind);
    }
    // Linked last: no frame reaches the decryptor before its keys are in.
    unpark(pad);
    if (gst_pad_link(pad, depaySink) != GST_PAD_LINK_OK)
        g_warning("conclave: the %s stream of member %u could not be linked", traitsOf(kind).name,
                  m_index);
    gst_object_unref(depaySink);
}

std::unique_ptr<RemoteMember::Branch> RemoteMember::build(StreamKind kind, GstPad* pad)
{
    const bool audio = kind == StreamKind::Audio;
    // Load mode stops after the decryptor: every frame is still authenticated, none decoded.
    const bool decode = !m_options.authenticateOnly;
    GstElement* depayloader = makeElement(audio ? "rtpopusdepay" : "rtpvp8depay");
    GstElement* decryptor = makeElement("conclavesframedec");
    GstElement* decoder = decode ? makeElement(audio ? "opusdec" : "vp8dec") : nullptr;
    GstElement* sink = decode && m_sinks ? m_sinks(m_index, kind) : nullptr;
    if (!sink) {
        sink = makeElement("fakesink");
        g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
    }
    if (!audio)
        g_object_set(depayloader, "request-keyframe", TRUE, "wait-for-keyframe", TRUE, nullptr);
    // A frame that never came (a gap the jitter buffer reports): rebuilt from the next one's
    // in-band FEC where it has it, otherwise concealed - so audio stays continuous.
    if (audio && decoder)
        g_object_set(decoder, "plc", TRUE, "use-inband-fec", TRUE, nullptr);
    auto branch = std::make_unique<Branch>();
    branch->pad = GST_PAD(gst_object_ref(pad));
    branch->decryptor = decryptor;
    branch->elements = {depayloader, decryptor};
    if (decoder)
        branch->elements.push_back(decoder);
    branch->elements.push_back(sink);
    const auto& chain = branch->elements;
    for (GstElement* e : chain)
        gst_bin_add(GST_BIN(m_pipeline), e);
    for (size_t i = 0; i + 1 < chain.size(); ++i)
        gst_element_link(chain[i], chain[i + 1]);
    // The first frame shown - or, in load mode, the first authenticated.
    GstPad* shown = gst_element_get_static_pad(decoder ? decoder : decryptor, "src");
    gst_pad_add_probe(shown, GST_PAD_PROBE_TYPE_BUFFER, decoder ? countDecoded : noteFirstFrame,
                      branch.get(), nullptr);
    gst_object_unref(shown);
    GstPad* encrypted = gst_element_get_static_pad(decryptor, "sink");
    gst_pad_add_probe(encrypted, GST_PAD_PROBE_TYPE_BUFFER, countBytes, branch.get(), nullptr);
    gst_object_unref(encrypted);
    GstPad* packets = gst_element_get_static_pad(depayloader, "sink");
    gst_pad_add_probe(packets,
                      GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      countPackets, branch.get(), nullptr);
    gst_object_unref(packets);
    for (auto e = chain.rbegin(); e != chain.rend(); ++e)
        gst_element_sync_state_with_parent(*e);
    return branch;
}

void RemoteMember::detach(StreamKind kind)
{
    std::unique_ptr<Branch> branch;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_branches.find(kind);
        if (it == m_branches.end())
            return;
        branch = std::move(it->second);
        m_branches.erase(it);
    }
    teardown(*branch);
}

void RemoteMember::detach(StreamKind kind, GstPad* pad)
{
    std::unique_ptr<Branch> branch;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_branches.find(kind);
        if (it == m_branches.end() || it->second->pad != pad)
            return;
        branch = std::move(it->second);
        m_branches.erase(it);
    }
    teardown(*branch);
}

void RemoteMember::park(GstPad* pad)
{
    parkPad(pad);
}

void RemoteMember::teardown(Branch& branch)
{
    // Drop first, then unlink between buffers: the transport's element keeps flowing.
    parkPad(branch.pad);
    unlinkBetweenBuffers(branch.pad);
    for (GstElement* e : branch.elements) {
        gst_element_set_state(e, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(m_pipeline), e);
    }
    gst_object_unref(branch.pad);
    branch.pad = nullptr;
}

bool RemoteMember::attached(StreamKind kind) const
{
    std::lock_guard lock(m_mutex);
    return m_branches.count(kind) > 0;
}

GstPadProbeReturn RemoteMember::noteFirstFrame(GstPad*, GstPadProbeInfo*, gpointer data)
{
    auto* in = static_cast<Branch*>(data);
    int64_t none = 0;
    in->firstDecodedAt.compare_exchange_strong(
        none, std::chrono::steady_clock::now().time_since_epoch().count());
    return GST_PAD_PROBE_OK;
}

GstPadProbeReturn RemoteMember::countDecoded(GstPad* pad, GstPadProbeInfo*, gpointer data)
{
    auto* in = static_cast<Branch*>(data);
    if (in->decoded.fetch_add(1) == 0) {
        in->firstDecodedAt = std::chrono::steady_clock::now().time_since_epoch().count();
        GstCaps* caps = gst_pad_get_current_caps(pad);
        if (caps) {
            int width = 0, height = 0;
            const GstStructure* s = gst_caps_get_structure(caps, 0);
            if (gst_structure_get_int(s, "width", &width) &&
                gst_structure_get_int(s, "height", &height)) {
                in->width = width;
                in->height = height;
            }
            gst_caps_unref(caps);
        }
    }
    return GST_PAD_PROBE_OK;
}

GstPadProbeReturn RemoteMember::countBytes(GstPad*, GstPadProbeInfo* info, gpointer data)
{
    if (GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info))
        static_cast<Branch*>(data)->bytes += gst_buffer_get_size(buffer);
    return GST_PAD_PROBE_OK;
}

GstPadProbeReturn RemoteMember::countPackets(GstPad*, GstPadProbeInfo* info, gpointer data)
{
    auto* in = static_cast<Branch*>(data);
    const auto count = [in](GstBuffer* buffer) {
        ++in->packets;
        GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
        if (!gst_rtp_buffer_map(buffer, GST_MAP_READ, &rtp))
            return; // the depayloader drops it too
        const uint16_t sequenceNumber = gst_rtp_buffer_get_seq(&rtp);
        gst_rtp_buffer_unmap(&rtp);
        std::lock_guard counted(in->lossMutex);
        in->loss.received(sequenceNumber);
    };
    if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER)
        count(GST_PAD_PROBE_INFO_BUFFER(info));
    else if (GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info))
        for (guint i = 0; i < gst_buffer_list_length(list); ++i)
            count(gst_buffer_list_get(list, i));
    return GST_PAD_PROBE_OK;
}

// --- keys ----------------------------------------------------------------------------------

void RemoteMember::setKey(StreamKind kind, uint64_t kid, crypto::CipherSuite suite,
                          crypto::ByteView baseKey)
{
    std::lock_guard lock(m_mutex);
    pruneLocked(std::chrono::system_clock::now());
    auto& held = m_keys[kind];
    const auto same = std::find_if(held.begin(), held.end(), [&](const HeldKey& k) {
        return k.kid == kid && k.suite == suite && crypto::equalConstantTime(k.key.view(), baseKey);
    });
    if (same != held.end() && same->retireAt)
        return; // retired stays retired, here and in the decryptor
    if (same == held.end()) {
        // Only a KID's latest key is held (a KID comes back 16 epochs later with a new key).
        std::erase_if(held, [kid](const HeldKey& k) { return k.kid == kid; });
        held.push_back({kid, suite, crypto::SecureBuffer::copyOf(baseKey), std::nullopt});
    }
    // The decryptor gets this key only: re-installing the others would be pointless, and a
    // retired one stays retired there anyway (SframeReceiver::addKey).
    const auto in = m_branches.find(kind);
    if (in == m_branches.end())
        return; // kept until the member's stream arrives
    if (auto added = sframe_decrypt::addKey(in->second->decryptor, kid, suite, baseKey);
        !added) // a key from the key schedule is not refused; if it were, its frames drop
        g_warning("conclave: a peer key was refused: %s", added.error().message.c_str());
}

void RemoteMember::installKeys(StreamKind kind)
{
    pruneLocked(std::chrono::system_clock::now());
    const auto in = m_branches.find(kind);
    const auto held = m_keys.find(kind);
    if (in == m_branches.end() || held == m_keys.end())
        return;
    GstElement* decryptor = in->second->decryptor;
    for (const HeldKey& k : held->second) {
        if (auto added = sframe_decrypt::addKey(decryptor, k.kid, k.suite, k.key.view()); !added) {
            g_warning("conclave: a peer key was refused: %s", added.error().message.c_str());
            continue;
        }
        if (k.retireAt)
            sframe_decrypt::retireKey(decryptor, k.kid, *k.retireAt);
    }
}

void RemoteMember::retireKey(StreamKind kind, uint64_t kid, TimePoint at)
{
    std::lock_guard lock(m_mutex);
    for (HeldKey& k : m_keys[kind])
        if (k.kid == kid && (!k.retireAt || at < *k.retireAt))
            k.retireAt = at;
    const auto in = m_branches.find(kind);
    if (in != m_branches.end())
        sframe_decrypt::retireKey(in->second->decryptor, kid, at);
    pruneLocked(std::chrono::system_clock::now());
}

void RemoteMember::dropKeys(StreamKind kind)
{
    std::lock_guard lock(m_mutex);
    m_keys.erase(kind); // SecureBuffer wipes
    const auto in = m_branches.find(kind);
    if (in != m_branches.end())
        sframe_decrypt::clearKeys(in->second->decryptor);
}

void RemoteMember::pruneKeys(TimePoint now)
{
    std::lock_guard lock(m_mutex);
    pruneLocked(now);
}

void RemoteMember::pruneLocked(TimePoint now)
{
    for (auto& [kind, held] : m_keys)
        std::erase_if(held, [now](const HeldKey& k) { return k.retireAt && *k.retireAt <= now; });
    for (auto& [kind, in] : m_branches)
        sframe_decrypt::prune(in->decryptor, now);
}

size_t RemoteMember::keysHeld(StreamKind kind) const
{
    std::lock_guard lock(m_mutex);
    const auto held = m_keys.find(kind);
    return held == m_keys.end() ? 0 : held->second.size();
}

// --- statistics ----------------------------------------------------------------------------

std::map<StreamKind, std::chrono::milliseconds> RemoteMember::firstFrames() const
{
    std::lock_guard lock(m_mutex);
    std::map<StreamKind, std::chrono::milliseconds> out;
    for (const auto& [kind, in] : m_branches)
        if (const int64_t at = in->firstDecodedAt; at != 0)
            out[kind] = since(m_created, at);
    return out;
}

std::vector<StreamKind> RemoteMember::starvedOfKeyframes(std::chrono::steady_clock::time_point now,
                                                         std::chrono::milliseconds patience)
{
    std::lock_guard lock(m_mutex);
    std::vector<StreamKind> out;
    for (auto& [kind, branch] : m_branches) {
        if (kind == StreamKind::Audio)
            continue;
        Branch& in = *branch;
        const uint64_t packets = in.packets;
        const uint64_t bytes = in.bytes;
        const bool packetsCame = packets > in.watchedPackets;
        const bool framesCame = bytes > in.watchedBytes;
        in.watchedPackets = packets;
        in.watchedBytes = bytes;
        if (framesCame || !packetsCame) { // flowing, or nothing sent (a camera turned off)
            in.starvedSince.reset();
            continue;
        }
        if (!in.starvedSince)
            in.starvedSince = now;
        else if (now - *in.starvedSince >= patience) {
            out.push_back(kind);
            in.starvedSince = now;
        }
    }
    return out;
}

std::vector<StreamStats> RemoteMember::stats()
{
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    std::vector<StreamStats> out;
    for (auto& [kind, branch] : m_branches) {
        Branch& in = *branch;
        const auto d = sframe_decrypt::stats(in.decryptor);
        StreamStats s;
        s.peer = m_index;
        s.kind = kind;
        s.framesDecrypted = d.accepted;
        s.decryptFailures = d.unknownKid + d.authFailed + d.replay + d.malformed;
        s.unknownKey = d.unknownKid;
        s.framesReceived = s.framesDecrypted + s.decryptFailures;
        s.framesDecoded = in.decoded;
        s.bytesReceived = in.bytes;
        s.width = in.width;
        s.height = in.height;
        if (const int64_t at = in.firstDecodedAt; at != 0)
            s.firstFrameAfter = since(m_created, at);
        {
            std::lock_guard counted(in.lossMutex);
            s.packetsReceived = in.loss.packets();
            s.packetsLost = in.loss.lost();
        }
        const double seconds =
            std::chrono::duration<double>(
                now - (in.sampledAt.time_since_epoch().count() == 0 ? m_created : in.sampledAt))
                .count();
        if (seconds >= 1.0) {
            in.framesPerSecond = double(s.framesDecoded - in.sampledFrames) / seconds;
            in.bitsPerSecond = 8.0 * double(s.bytesReceived - in.sampledBytes) / seconds;
            in.sampledAt = now;
            in.sampledFrames = s.framesDecoded;
            in.sampledBytes = s.bytesReceived;
        }
        s.framesPerSecond = in.framesPerSecond;
        s.bitsPerSecond = in.bitsPerSecond;
        out.push_back(s);
    }
    return out;
}

} // namespace conclave::media
