// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/WebrtcParts.h"

#include "turn/TurnServer.h"

namespace conclave::media {
namespace {

/// Every transceiver of every link asks for retransmissions (NACK, answered with RTX), audio
/// too: webrtcbin 1.22 gives all the jitter buffers of a BUNDLE transport the retransmission
/// setting of the last transceiver on it, so one without it would switch it off for all. An
/// answerer's transceivers are made inside create-answer, where only this signal reaches them.
void askForRetransmissions(GstElement*, GstWebRTCRTPTransceiver* transceiver, gpointer)
{
    g_object_set(transceiver, "do-nack", TRUE, nullptr);
}

/// Every jitter buffer asks for what it lacks, whatever webrtcbin decided. webrtcbin 1.22 sets
/// `do-retransmission` on each new jitter buffer from the transceivers of its BUNDLE transport,
/// and in some runs one direction's buffer got FALSE (transceivers an answerer makes are not
/// all there yet): that direction then repaired nothing. This handler runs after webrtcbin's.
/// Repairs must also come within the jitter buffer's latency (MediaOptions::latency), and RFC
/// 4585 lets a session send feedback early only once per regular RTCP interval; the buffer
/// asks only for packets a gap shows missing (with `rtx-next-seqnum` it also asked for every
/// packet not yet due - a video frame every 66 ms is "late" all the time - and those requests
/// used the early slot up).
/// A request not answered is repeated after the measured round trip plus twice the jitter, but
/// never sooner than `rtx-min-retry-timeout`, which by default is the spacing of packets with
/// different timestamps - for video a whole frame interval (66 ms at 15 frames a second), so
/// within the buffer's latency a lost packet was asked for about once, and at 10 % loss (of the
/// requests and the retransmissions too) one in five stayed lost and froze the picture until a
/// keyframe (tst_media_loss, docs/media.md "Loss and bandwidth"). 20 ms lets the round trip
/// decide on any real network and still stops a tight loop on loopback.
constexpr int kRetryFloorMilliseconds = 20;

void askForWhatIsMissing(GstElement*, GstElement* jitterBuffer, guint, guint, gpointer)
{
    g_object_set(jitterBuffer, "do-retransmission", TRUE, "rtx-next-seqnum", FALSE,
                 "rtx-min-retry-timeout", kRetryFloorMilliseconds, nullptr);
}

/// RTCP may use a fifth of the session's bandwidth rather than a twentieth, which shortens the
/// interval between early feedback slots. Measured on loopback (tst_media_loss, 150 ms latency,
/// 10 % of the camera's packets dropped): about nine in ten repaired, with RTCP's usual
/// twentieth about four in ten; RTCP stays near 8 packets a second each way.
void tuneRtcp(GstBin*, GstBin*, GstElement* element, gpointer)
{
    GstElementFactory* factory = gst_element_get_factory(element);
    if (factory && g_str_equal(GST_OBJECT_NAME(factory), "rtpsession"))
        g_object_set(element, "rtcp-fraction", 0.2, nullptr);
}

} // namespace

GstElement* makeElement(const char* factory)
{
    GstElement* e = gst_element_factory_make(factory, nullptr);
    if (!e)
        g_error("GStreamer element %s is missing (initialiseMedia checks for it)", factory);
    return e;
}

GstElement* addWebrtcbin(GstElement* pipeline, const MediaOptions& options)
{
    GstElement* webrtc = makeElement("webrtcbin");
    g_object_set(webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency",
                 guint(options.latency), nullptr);
    g_signal_connect(webrtc, "on-new-transceiver", G_CALLBACK(askForRetransmissions), nullptr);
    g_signal_connect(webrtc, "deep-element-added", G_CALLBACK(tuneRtcp), nullptr);
    if (GstElement* rtpbin = gst_bin_get_by_name(GST_BIN(webrtc), "rtpbin")) {
        g_signal_connect(rtpbin, "new-jitterbuffer", G_CALLBACK(askForWhatIsMissing), nullptr);
        gst_object_unref(rtpbin);
    } else {
        g_warning("conclave: webrtcbin has no rtpbin: lost packets will not be asked for again");
    }
    gst_bin_add(GST_BIN(pipeline), webrtc);
    GstWebRTCICE* ice = nullptr;
    g_object_get(webrtc, "ice-agent", &ice, nullptr);
    // No UPnP: libnice would otherwise search the local network for a router (SSDP multicast)
    // and ask it to open ports for every call - nothing a classified meeting should do to the
    // network it is on - from a thread of its own that leaks at exit.
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent")) {
        GObject* agent = nullptr;
        g_object_get(ice, "agent", &agent, nullptr);
        if (agent) {
            g_object_set(agent, "upnp", FALSE, nullptr);
            g_object_unref(agent);
        }
    }
    for (const QString& address : options.localAddresses) {
        gboolean added = FALSE;
        g_signal_emit_by_name(ice, "add-local-ip-address", address.toUtf8().constData(), &added);
    }
    gst_object_unref(ice);
    // Before any transceiver: webrtcbin hands its TURN servers to each ICE stream as it makes
    // it. The action signal, not the `turn-server` property, which holds only one.
    for (const turn::TurnServer& server : options.turnServers) {
        const auto uri = turn::webrtcbinTurnUri(server);
        gboolean added = FALSE;
        if (uri)
            g_signal_emit_by_name(webrtc, "add-turn-server", uri->toUtf8().constData(), &added);
        if (!added) // MediaMesh::create checked them: only a link made around it gets here
            g_warning("conclave: TURN server %s was not given to webrtcbin: %s",
                      server.url.toUtf8().constData(),
                      uri ? "webrtcbin refused it" : uri.error().message.c_str());
    }
    if (options.relayOnly)
        g_object_set(webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY,
                     nullptr);
    return webrtc;
}

SendBranch addSendBranch(GstElement* pipeline, StreamKind kind, GstPad* sink, guint ssrc)
{
    const StreamTraits traits = traitsOf(kind);
    SendBranch branch{makeElement("queue"),
                      makeElement(kind == StreamKind::Audio ? "rtpopuspay" : "conclavevp8pay")};
    g_object_set(branch.queue, "leaky", 2 /* downstream */, "max-size-time", guint64(GST_SECOND),
                 nullptr);
    g_object_set(branch.payloader, "pt", guint(traits.payloadType), "mtu", guint(1200), nullptr);
    if (ssrc != 0)
        g_object_set(branch.payloader, "ssrc", ssrc, nullptr);
    gst_bin_add_many(GST_BIN(pipeline), branch.queue, branch.payloader, nullptr);
    gst_element_link(branch.queue, branch.payloader);
    GstPad* payloaderSrc = gst_element_get_static_pad(branch.payloader, "src");
    gst_pad_link(payloaderSrc, sink);
    gst_object_unref(payloaderSrc);
    gst_element_sync_state_with_parent(branch.payloader);
    gst_element_sync_state_with_parent(branch.queue);
    return branch;
}

void removeLink(GstElement* pipeline, LocalStreams& local,
                const std::vector<std::pair<StreamKind, GstPad*>>& outputs,
                const std::vector<GstElement*>& elements)
{
    for (auto [kind, pad] : outputs) {
        if (GstPad* peerPad = gst_pad_get_peer(pad)) {
            gst_pad_unlink(pad, peerPad);
            gst_object_unref(peerPad);
        }
        local.releaseOutput(kind, pad);
    }
    for (GstElement* e : elements) {
        gst_element_set_state(e, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(pipeline), e);
    }
}

GstWebRTCSessionDescription* takeDescription(GstPromise* promise, const char* field)
{
    GstWebRTCSessionDescription* description = nullptr;
    if (const GstStructure* reply = gst_promise_get_reply(promise))
        gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &description, nullptr);
    gst_promise_unref(promise);
    return description;
}

} // namespace conclave::media
