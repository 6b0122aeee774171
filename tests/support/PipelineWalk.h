// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Looking into a running meeting pipeline from a test: its elements of one factory, their
// source pads, and a probe counting keyframes. Header only: for tests that link GStreamer
// (through conclave::media).

#include <gst/gst.h>

#include <QByteArray>

#include <atomic>
#include <cstdint>
#include <functional>

namespace conclave::testsupport {

/// Calls `visit` with each element of `pipeline` (nested bins included) made by `factory`.
inline void forEachElementOf(GstElement* pipeline, const char* factory,
                             const std::function<void(GstElement*)>& visit)
{
    GstIterator* elements = gst_bin_iterate_recurse(GST_BIN(pipeline));
    GValue item = G_VALUE_INIT;
    while (gst_iterator_next(elements, &item) == GST_ITERATOR_OK) {
        auto* element = GST_ELEMENT(g_value_get_object(&item));
        GstElementFactory* made = gst_element_get_factory(element);
        if (made && QByteArray(GST_OBJECT_NAME(made)) == factory)
            visit(element);
        g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(elements);
}

/// Turns the camera's test pattern (the `videotestsrc` in the pipeline's "send-video" bin) to
/// moving colour bars: the default ball compresses to a few tens of kbit/s whatever the target,
/// so no bandwidth cap would bind; moving bars fill what the encoder is given (noise would not:
/// libvpx then overshoots any target several times). Returns the sources changed (0: no
/// camera test source).
inline int makeCameraBusy(GstElement* pipeline)
{
    GstElement* bin = gst_bin_get_by_name(GST_BIN(pipeline), "send-video");
    if (!bin)
        return 0;
    int changed = 0;
    forEachElementOf(bin, "videotestsrc", [&](GstElement* source) {
        gst_util_set_object_arg(G_OBJECT(source), "pattern", "smpte");
        g_object_set(source, "horizontal-speed", 4, nullptr);
        ++changed;
    });
    gst_object_unref(bin);
    return changed;
}

/// Calls `visit` with each source pad of `element`.
inline void forEachSrcPad(GstElement* element, const std::function<void(GstPad*)>& visit)
{
    GstIterator* pads = gst_element_iterate_src_pads(element);
    GValue item = G_VALUE_INIT;
    while (gst_iterator_next(pads, &item) == GST_ITERATOR_OK) {
        visit(GST_PAD(g_value_get_object(&item)));
        g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(pads);
}

/// The element `pad` is linked to (a new reference), or nullptr.
inline GstElement* peerElementOf(GstPad* pad)
{
    GstPad* peer = gst_pad_get_peer(pad);
    if (!peer)
        return nullptr;
    GstElement* parent = gst_pad_get_parent_element(peer);
    gst_object_unref(peer);
    return parent;
}

/// Buffer probe: counts keyframes (buffers without the delta flag) into a std::atomic<uint64_t>.
inline GstPadProbeReturn countKeyframes(GstPad*, GstPadProbeInfo* info, gpointer counter)
{
    if (GstBuffer* b = GST_PAD_PROBE_INFO_BUFFER(info);
        b && !GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT))
        ++*static_cast<std::atomic<uint64_t>*>(counter);
    return GST_PAD_PROBE_OK;
}

} // namespace conclave::testsupport
