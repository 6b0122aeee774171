// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/SframeDecrypt.h"

#include "crypto/SframeSender.h"
#include "media/FrameCodec.h"
#include "media/GObjectSupport.h"

#include <gst/base/gstbasetransform.h>
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

struct ConclaveSframeDecrypt {
    GstBaseTransform parent;
    DecryptState* state;
};

struct ConclaveSframeDecryptClass {
    GstBaseTransformClass parent;
};

GstBaseTransformClass* g_parentClass = nullptr;

DecryptState& stateOf(gpointer instance)
{
    return *static_cast<ConclaveSframeDecrypt*>(instance)->state;
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

void finalize(GObject* object)
{
    delete static_cast<ConclaveSframeDecrypt*>(static_cast<void*>(object))->state;
    G_OBJECT_CLASS(g_parentClass)->finalize(object);
}

void classInit(gpointer klass, gpointer)
{
    g_parentClass = static_cast<GstBaseTransformClass*>(g_type_class_peek_parent(klass));
    static_cast<GObjectClass*>(klass)->finalize = finalize;
    auto* elementClass = static_cast<GstElementClass*>(klass);
    gst_element_class_set_static_metadata(
        elementClass, "Conclave SFrame decrypt", "Filter/Decoder/Crypto",
        "Opens SFrame-protected media frames with the meeting's keys (RFC 9605)", "Conclave");
    addFramePadTemplates(elementClass);
    auto* transformClass = static_cast<GstBaseTransformClass*>(klass);
    transformClass->transform_size = transformSize;
    transformClass->set_caps = setCaps;
    transformClass->transform = transform;
    transformClass->passthrough_on_same_caps = FALSE;
}

void instanceInit(GTypeInstance* instance, gpointer)
{
    auto* self = reinterpret_cast<ConclaveSframeDecrypt*>(instance);
    self->state = new DecryptState;
    gst_base_transform_set_passthrough(&self->parent, FALSE);
    gst_base_transform_set_in_place(&self->parent, FALSE);
}

DecryptState* stateOfElement(GstElement* element)
{
    if (!element || !G_TYPE_CHECK_INSTANCE_TYPE(element, sframe_decrypt::type()))
        return nullptr;
    return &stateOf(element);
}

} // namespace

namespace sframe_decrypt {

GType type()
{
    static const GType id = registerType<ConclaveSframeDecrypt, ConclaveSframeDecryptClass>(
        GST_TYPE_BASE_TRANSFORM, "ConclaveSframeDecrypt", classInit, instanceInit);
    return id;
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
