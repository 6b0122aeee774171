// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/SframeDecrypt.h"

#include "crypto/SframeSender.h"
#include "media/FrameTransform.h"
#include "media/GObjectSupport.h"

#include <gst/video/video-event.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <set>

namespace conclave::media {
namespace {

constexpr auto kKeyframeRequestInterval = std::chrono::seconds(1);

struct DecryptState {
    std::mutex mutex;
    crypto::SframeReceiver receiver;
    std::optional<crypto::MediaCodec> codec;
    std::set<uint64_t> kids; ///< every KID given a key (for clearKeys)
    std::optional<std::chrono::steady_clock::time_point> lastKeyframeRequest;
};

using Element = FrameTransform<DecryptState>;

DecryptState& stateOf(gpointer instance)
{
    return Element::of(instance);
}

gboolean transformSize(GstBaseTransform*, GstPadDirection direction, GstCaps*, gsize size, GstCaps*,
                       gsize* otherSize)
{
    *otherSize = direction == GST_PAD_SINK ? crypto::SframeReceiver::maxFrameSize(size)
                                           : crypto::SframeSender::maxProtectedSize(size);
    return TRUE;
}

gboolean setCaps(GstBaseTransform* base, GstCaps* incaps, GstCaps*)
{
    DecryptState& s = stateOf(base);
    std::lock_guard lock(s.mutex);
    s.codec = codecOfCaps(incaps);
    return s.codec.has_value();
}

GstFlowReturn transform(GstBaseTransform* base, GstBuffer* in, GstBuffer* out)
{
    DecryptState& s = stateOf(base);
    bool askForKeyframe = false;
    {
        std::lock_guard lock(s.mutex);
        s.receiver.prune(std::chrono::system_clock::now());
        if (!s.codec)
            return GST_FLOW_NOT_NEGOTIATED;
        MappedBuffer wire(in, GST_MAP_READ);
        MappedBuffer frame(out, GST_MAP_WRITE);
        if (!wire.ok() || !frame.ok())
            return GST_FLOW_ERROR;
        auto written = s.receiver.unprotectInto(*s.codec, wire.view(), frame.span());
        if (written) {
            frame.release();
            gst_buffer_set_size(out, gssize(*written));
            return GST_FLOW_OK;
        }
        const auto now = std::chrono::steady_clock::now();
        if (!s.lastKeyframeRequest || now - *s.lastKeyframeRequest >= kKeyframeRequestInterval) {
            s.lastKeyframeRequest = now;
            askForKeyframe = true;
        }
    }
    // Whatever did not open is dropped: a decoder never sees ciphertext or a forged frame.
    if (askForKeyframe)
        gst_pad_push_event(
            GST_BASE_TRANSFORM_SINK_PAD(base),
            gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
    return GST_BASE_TRANSFORM_FLOW_DROPPED;
}

GType registeredType()
{
    return Element::type({"ConclaveSframeDecrypt", "Conclave SFrame decrypt",
                          "Filter/Decoder/Crypto",
                          "Opens SFrame-protected media frames with the meeting's keys (RFC 9605)",
                          transformSize, setCaps, transform});
}

DecryptState* stateOfElement(GstElement* element)
{
    return Element::ofElement(element, registeredType());
}

} // namespace

namespace sframe_decrypt {

GType type()
{
    return registeredType();
}

Result<void> addKey(GstElement* element, uint64_t kid, crypto::CipherSuite suite,
                    crypto::ByteView baseKey)
{
    DecryptState* s = stateOfElement(element);
    if (!s)
        return makeError("media.not_sframe_element", "not a conclavesframedec element");
    std::lock_guard lock(s->mutex);
    if (auto added = s->receiver.addKey(kid, suite, baseKey); !added)
        return added.error();
    s->kids.insert(kid);
    s->lastKeyframeRequest.reset(); // the next failure may ask again at once
    return {};
}

void retireKey(GstElement* element, uint64_t kid, TimePoint at)
{
    if (DecryptState* s = stateOfElement(element)) {
        std::lock_guard lock(s->mutex);
        s->receiver.scheduleRemoval(kid, at);
    }
}

void prune(GstElement* element, TimePoint now)
{
    if (DecryptState* s = stateOfElement(element)) {
        std::lock_guard lock(s->mutex);
        s->receiver.prune(now);
    }
}

void clearKeys(GstElement* element)
{
    if (DecryptState* s = stateOfElement(element)) {
        std::lock_guard lock(s->mutex);
        for (uint64_t kid : s->kids)
            s->receiver.removeKey(kid);
        s->kids.clear();
    }
}

crypto::SframeReceiverStats stats(GstElement* element)
{
    DecryptState* s = stateOfElement(element);
    if (!s)
        return {};
    std::lock_guard lock(s->mutex);
    return s->receiver.stats();
}

} // namespace sframe_decrypt
} // namespace conclave::media
