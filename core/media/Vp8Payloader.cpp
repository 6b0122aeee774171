// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/Vp8Payloader.h"

#include "media/GObjectSupport.h"

#include <gst/rtp/gstrtpbasepayload.h>
#include <gst/rtp/gstrtpbuffer.h>

#include <algorithm>
#include <cstring>

namespace conclave::media {
namespace {

struct ConclaveVp8Pay {
    GstRTPBasePayload parent;
};

struct ConclaveVp8PayClass {
    GstRTPBasePayloadClass parent;
};

gboolean setCaps(GstRTPBasePayload* payload, GstCaps*)
{
    gst_rtp_base_payload_set_options(payload, "video", TRUE, "VP8", 90000);
    return gst_rtp_base_payload_set_outcaps(payload, nullptr);
}

GstFlowReturn handleBuffer(GstRTPBasePayload* payload, GstBuffer* frame)
{
    const gsize frameSize = gst_buffer_get_size(frame);
    const guint perPacket =
        gst_rtp_buffer_calc_payload_len(GST_RTP_BASE_PAYLOAD_MTU(payload), 0, 0);
    if (frameSize == 0 || perPacket <= 1) {
        gst_buffer_unref(frame);
        return GST_FLOW_OK; // nothing to send, or an MTU no packet fits in
    }
    const gsize chunkMax = perPacket - 1; // one byte goes to the payload descriptor
    GstBufferList* packets =
        gst_buffer_list_new_sized(guint((frameSize + chunkMax - 1) / chunkMax));
    for (gsize offset = 0; offset < frameSize; offset += chunkMax) {
        const gsize chunk = std::min(chunkMax, frameSize - offset);
        GstBuffer* packet =
            gst_rtp_base_payload_allocate_output_buffer(payload, guint(1 + chunk), 0, 0);
        GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
        gst_rtp_buffer_map(packet, GST_MAP_WRITE, &rtp);
        auto* out = static_cast<guint8*>(gst_rtp_buffer_get_payload(&rtp));
        out[0] = offset == 0 ? vp8_payloader::kStartOfFrame : vp8_payloader::kContinuation;
        gst_buffer_extract(frame, offset, out + 1, chunk);
        gst_rtp_buffer_set_marker(&rtp, offset + chunk == frameSize);
        gst_rtp_buffer_unmap(&rtp);
        GST_BUFFER_PTS(packet) = GST_BUFFER_PTS(frame);
        GST_BUFFER_DTS(packet) = GST_BUFFER_DTS(frame);
        gst_buffer_list_add(packets, packet);
    }
    gst_buffer_unref(frame);
    return gst_rtp_base_payload_push_list(payload, packets);
}

void classInit(gpointer klass, gpointer)
{
    auto* elementClass = static_cast<GstElementClass*>(klass);
    gst_element_class_set_static_metadata(
        elementClass, "Conclave VP8 RTP payloader", "Codec/Payloader/Network/RTP",
        "Payloads VP8 frames (also SFrame-protected ones) in RTP packets (RFC 7741)", "Conclave");
    GstCaps* sinkCaps = gst_caps_from_string("video/x-vp8");
    GstCaps* srcCaps = gst_caps_from_string("application/x-rtp, media=(string)video, "
                                            "clock-rate=(int)90000, encoding-name=(string)VP8");
    gst_element_class_add_pad_template(
        elementClass, gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS, sinkCaps));
    gst_element_class_add_pad_template(
        elementClass, gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS, srcCaps));
    gst_caps_unref(sinkCaps);
    gst_caps_unref(srcCaps);
    auto* payloadClass = static_cast<GstRTPBasePayloadClass*>(klass);
    payloadClass->set_caps = setCaps;
    payloadClass->handle_buffer = handleBuffer;
}

void instanceInit(GTypeInstance*, gpointer) {}

} // namespace

namespace vp8_payloader {

GType type()
{
    static const GType id = registerType<ConclaveVp8Pay, ConclaveVp8PayClass>(
        GST_TYPE_RTP_BASE_PAYLOAD, "ConclaveVp8Pay", classInit, instanceInit);
    return id;
}

} // namespace vp8_payloader
} // namespace conclave::media
