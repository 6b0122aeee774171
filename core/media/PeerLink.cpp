// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/PeerLink.h"

#include "media/WebrtcParts.h"

#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <algorithm>

namespace conclave::media {
PeerLink::PeerLink(GstElement* pipeline, LocalStreams& local, const MediaOptions& options,
                   RemoteMember& remote, bool offerer, SignalSender sendSignal,
                   IceWatch::Reporter reportProblem)
    : m_pipeline(pipeline), m_local(local), m_options(options), m_remote(remote),
      m_offerer(offerer), m_sendSignal(std::move(sendSignal))
{
    m_webrtc = addWebrtcbin(m_pipeline, m_options);
    m_iceWatch = std::make_unique<IceWatch>(m_webrtc, m_options,
                                            QStringLiteral("member %1").arg(m_remote.index()),
                                            std::move(reportProblem));
    m_elements.push_back(m_webrtc);
    g_signal_connect(m_webrtc, "on-negotiation-needed", G_CALLBACK(negotiationNeeded), this);
    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(iceCandidate), this);
    g_signal_connect(m_webrtc, "pad-added", G_CALLBACK(padAdded), this);
    // The offerer decides the m-lines (audio, camera, screen, in this order); the answerer
    // attaches its senders to them once the offer is in (setRemoteDescription).
    // The offerer's senders are linked to the live tees before webrtcbin plays. That is safe
    // only because holdUntilStarted drops every frame until startSending (Qt thread, after
    // this constructor): a frame reaching a sink pad of a webrtcbin still in NULL stops that
    // stream's queue for good (JanusPublishLink, docs/scaling.md).
    if (m_offerer)
        for (const auto& [kind, padName] : kSenderPads)
            addSender(kind, padName);
    gst_element_sync_state_with_parent(m_webrtc);
}

PeerLink::~PeerLink()
{
    g_signal_handlers_disconnect_by_data(m_webrtc, this);
    m_iceWatch.reset();
    // The peer's streams leave with the link (its RemoteMember may outlive it).
    std::set<StreamKind> received;
    {
        std::lock_guard lock(m_mutex);
        received.swap(m_received);
    }
    for (StreamKind kind : received)
        m_remote.detach(kind);
    removeLink(m_pipeline, m_local, m_outputs, m_elements);
}

void PeerLink::addSender(StreamKind kind, const char* padName)
{
    const StreamTraits traits = traitsOf(kind);
    GstPad* sink = gst_element_request_pad_simple(m_webrtc, padName);
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_object_get(sink, "transceiver", &transceiver, nullptr);
    GstCaps* preference = gst_caps_from_string(traits.rtpCaps);
    g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
                 "codec-preferences", preference, nullptr);
    gst_caps_unref(preference);
    gst_object_unref(transceiver);

    GstPad* output = m_local.requestOutput(kind);
    if (!output) { // nothing to send on this stream (no device): receive only
        gst_object_unref(sink);
        return;
    }
    const SendBranch branch = addSendBranch(m_pipeline, kind, sink);
    gst_object_unref(sink);
    m_elements.push_back(branch.queue);
    m_elements.push_back(branch.payloader);
    GstPad* queueSink = gst_element_get_static_pad(branch.queue, "sink");
    gst_pad_add_probe(queueSink, GST_PAD_PROBE_TYPE_BUFFER, holdUntilStarted, this, nullptr);
    gst_pad_link(output, queueSink);
    gst_object_unref(queueSink);
    m_outputs.emplace_back(kind, output);
}

GstPadProbeReturn PeerLink::holdUntilStarted(GstPad*, GstPadProbeInfo* info, gpointer self)
{
    auto* link = static_cast<PeerLink*>(self);
    if (!link->m_sending)
        return GST_PAD_PROBE_DROP;
    if (GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info))
        link->m_bytesSent += gst_buffer_get_size(buffer);
    return GST_PAD_PROBE_OK;
}

void PeerLink::startSending()
{
    if (m_sending.exchange(true))
        return;
    for (StreamKind kind : {StreamKind::Camera, StreamKind::Screen})
        m_local.requestKeyframe(kind); // the peer's first frame is one it can decode alone
}

// --- negotiation ---------------------------------------------------------------------------

void PeerLink::negotiationNeeded(GstElement*, gpointer self)
{
    static_cast<PeerLink*>(self)->onNegotiationNeeded();
}

void PeerLink::onNegotiationNeeded()
{
    if (!m_offerer || m_offered.exchange(true))
        return; // fired per transceiver, and on the answerer too: one offer per link
    GstPromise* promise = gst_promise_new_with_change_func(
        [](GstPromise* p, gpointer self) {
            static_cast<PeerLink*>(self)->onDescriptionCreated(p, SignalMessage::Type::Offer);
        },
        this, nullptr);
    g_signal_emit_by_name(m_webrtc, "create-offer", nullptr, promise);
}

void PeerLink::onDescriptionCreated(GstPromise* promise, SignalMessage::Type type)
{
    GstWebRTCSessionDescription* description =
        takeDescription(promise, type == SignalMessage::Type::Offer ? "offer" : "answer");
    if (!description)
        return;
    g_signal_emit_by_name(m_webrtc, "set-local-description", description, nullptr);
    gchar* text = gst_sdp_message_as_text(description->sdp);
    SignalMessage message;
    message.type = type;
    message.sdp = QString::fromUtf8(text);
    g_free(text);
    gst_webrtc_session_description_free(description);
    m_sendSignal(message);
}

void PeerLink::iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self)
{
    static_cast<PeerLink*>(self)->onIceCandidate(mline, candidate);
}

void PeerLink::onIceCandidate(guint mline, const char* candidate)
{
    SignalMessage message;
    message.type = SignalMessage::Type::Ice;
    message.mline = int(mline);
    message.candidate = QString::fromUtf8(candidate);
    m_sendSignal(message);
}

void PeerLink::setRemoteDescription(GstWebRTCSDPType type, const QString& sdp)
{
    GstSDPMessage* parsed = nullptr;
    gst_sdp_message_new(&parsed);
    gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(sdp.toUtf8().constData()),
                                 guint(sdp.toUtf8().size()), parsed);
    GstWebRTCSessionDescription* description = gst_webrtc_session_description_new(type, parsed);
    GstPromise* done = gst_promise_new();
    g_signal_emit_by_name(m_webrtc, "set-remote-description", description, done);
    gst_promise_wait(done);
    gst_promise_unref(done);
    gst_webrtc_session_description_free(description);
}

Result<void> PeerLink::onSignal(const SignalMessage& message)
{
    switch (message.type) {
    case SignalMessage::Type::Offer: {
        if (m_offerer)
            return makeError("media.unexpected_offer",
                             "the peer sent an offer, but this member makes the offer");
        setRemoteDescription(GST_WEBRTC_SDP_TYPE_OFFER, message.sdp);
        m_iceWatch->peerDescription();
        // Our senders go on the m-lines the offer created, matched by index.
        for (const auto& [kind, padName] : kSenderPads)
            addSender(kind, padName);
        GstPromise* promise = gst_promise_new_with_change_func(
            [](GstPromise* p, gpointer self) {
                static_cast<PeerLink*>(self)->onDescriptionCreated(p, SignalMessage::Type::Answer);
            },
            this, nullptr);
        g_signal_emit_by_name(m_webrtc, "create-answer", nullptr, promise);
        return {};
    }
    case SignalMessage::Type::Answer:
        if (!m_offerer)
            return makeError("media.unexpected_answer", "the peer answered an offer never made");
        setRemoteDescription(GST_WEBRTC_SDP_TYPE_ANSWER, message.sdp);
        m_iceWatch->peerDescription();
        return {};
    case SignalMessage::Type::Restart:
        return makeError("media.unexpected_restart",
                         "a request for a new link reached the link itself");
    case SignalMessage::Type::Ice:
        m_iceWatch->peerCandidate();
        g_signal_emit_by_name(m_webrtc, "add-ice-candidate", guint(message.mline),
                              message.candidate.toUtf8().constData());
        return {};
    }
    return {};
}

// --- receiving -----------------------------------------------------------------------------

void PeerLink::padAdded(GstElement*, GstPad* pad, gpointer self)
{
    if (GST_PAD_DIRECTION(pad) == GST_PAD_SRC)
        static_cast<PeerLink*>(self)->onPadAdded(pad);
}

void PeerLink::onPadAdded(GstPad* pad)
{
    // Which stream this is: the payload type in the pad's caps (each stream has its own).
    // webrtcbin 1.22's pad names and transceiver m-line indices are not reliable for that.
    GstCaps* caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, nullptr);
    int payloadType = -1;
    if (caps && gst_caps_get_size(caps) > 0)
        gst_structure_get_int(gst_caps_get_structure(caps, 0), "payload", &payloadType);
    if (caps)
        gst_caps_unref(caps);
    for (StreamKind kind : kAllStreams)
        if (traitsOf(kind).payloadType == payloadType) {
            {
                std::lock_guard lock(m_mutex);
                m_received.insert(kind);
            }
            m_remote.attach(kind, pad);
            return;
        }
    // Anything else is left unlinked, so nothing of it is decoded.
    g_warning("conclave: a stream with payload type %d from peer %u was not one of ours",
              payloadType, peer());
}

} // namespace conclave::media
