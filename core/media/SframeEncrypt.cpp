// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/SframeEncrypt.h"

#include "crypto/SframeSender.h"
#include "media/FrameTransform.h"
#include "media/GObjectSupport.h"

#include <gst/video/video-event.h>

#include <mutex>
#include <optional>

namespace conclave::media {
namespace {

struct EncryptState {
    std::mutex mutex;
    crypto::SframeSender sender;
    std::optional<uint64_t> kid;
    std::optional<crypto::MediaCodec> codec;
    SframeEncryptStats stats;
    bool keyframeWanted = false;
};

using Element = FrameTransform<EncryptState>;

EncryptState& stateOf(gpointer instance)
{
    return Element::of(instance);
}

gboolean transformSize(GstBaseTransform*, GstPadDirection direction, GstCaps*, gsize size, GstCaps*,
                       gsize* otherSize)
{
    // Protecting adds at most a header and a tag; the base class allocates this much and we
    // shrink the buffer to what protect() wrote.
    *otherSize = direction == GST_PAD_SINK ? crypto::SframeSender::maxProtectedSize(size) : size;
    return TRUE;
}

gboolean setCaps(GstBaseTransform* base, GstCaps* incaps, GstCaps*)
{
    EncryptState& s = stateOf(base);
    std::lock_guard lock(s.mutex);
    s.codec = codecOfCaps(incaps);
    return s.codec.has_value();
}

void askForKeyframe(GstBaseTransform* base)
{
    gst_pad_push_event(GST_BASE_TRANSFORM_SINK_PAD(base),
                       gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
}

GstFlowReturn transform(GstBaseTransform* base, GstBuffer* in, GstBuffer* out)
{
    EncryptState& s = stateOf(base);
    bool keyframe = false;
    GstFlowReturn result = GST_FLOW_OK;
    {
        std::lock_guard lock(s.mutex);
        if (!s.kid || !s.codec) {
            ++s.stats.droppedWithoutKey;
            return GST_BASE_TRANSFORM_FLOW_DROPPED;
        }
        MappedBuffer frame(in, GST_MAP_READ);
        MappedBuffer wire(out, GST_MAP_WRITE);
        if (!frame.ok() || !wire.ok())
            return GST_FLOW_ERROR;
        auto written = s.sender.protectInto(*s.kid, *s.codec, frame.view(), wire.span());
        if (!written) {
            ++s.stats.failed;
            result = GST_BASE_TRANSFORM_FLOW_DROPPED;
        } else {
            ++s.stats.protectedFrames;
            wire.release();
            gst_buffer_set_size(out, gssize(*written));
        }
        keyframe = std::exchange(s.keyframeWanted, false);
    }
    if (keyframe)
        askForKeyframe(base);
    return result;
}

GType registeredType()
{
    return Element::type({"ConclaveSframeEncrypt", "Conclave SFrame encrypt",
                          "Filter/Encoder/Crypto",
                          "SFrame-protects encoded media frames with the meeting's current key "
                          "(RFC 9605)",
                          transformSize, setCaps, transform});
}

EncryptState* stateOfElement(GstElement* element)
{
    return Element::ofElement(element, registeredType());
}

} // namespace

namespace sframe_encrypt {

GType type()
{
    return registeredType();
}

Result<void> setKey(GstElement* element, uint64_t kid, crypto::CipherSuite suite,
                    crypto::ByteView baseKey)
{
    EncryptState* s = stateOfElement(element);
    if (!s)
        return makeError("media.not_sframe_element", "not a conclavesframeenc element");
    std::lock_guard lock(s->mutex);
    if (auto installed = s->sender.setKey(kid, suite, baseKey); !installed)
        return installed.error();
    if (s->kid != kid)
        s->keyframeWanted = true; // a new epoch: let those who just got the key decode at once
    if (s->kid && *s->kid != kid)
        s->sender.removeKey(*s->kid);
    s->kid = kid;
    return {};
}

void clearKeys(GstElement* element)
{
    if (EncryptState* s = stateOfElement(element)) {
        std::lock_guard lock(s->mutex);
        if (s->kid)
            s->sender.removeKey(*s->kid);
        s->kid.reset();
    }
}

SframeEncryptStats stats(GstElement* element)
{
    EncryptState* s = stateOfElement(element);
    if (!s)
        return {};
    std::lock_guard lock(s->mutex);
    return s->stats;
}

} // namespace sframe_encrypt
} // namespace conclave::media
