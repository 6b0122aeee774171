// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MicrophoneMeter.h"

#include "media/DeviceList.h"
#include "media/MediaElements.h"

#include <algorithm>

namespace conclave::ui {

Result<void> MicrophoneMeter::start(const QString& microphoneId, bool testTone)
{
    stop();
    if (auto ready = media::initialiseMedia(); !ready)
        return ready.error();
    GstElement* source =
        testTone
            ? gst_element_factory_make("audiotestsrc", nullptr)
            : media::DeviceList::createSource(media::MediaDevice::Kind::Microphone, microphoneId);
    if (!source)
        return makeError("media.no_device", "there is no microphone to check");
    if (testTone)
        g_object_set(source, "is-live", TRUE, "volume", 0.3, nullptr);
    GstElement* convert = gst_element_factory_make("audioconvert", nullptr);
    GstElement* level = gst_element_factory_make("level", nullptr);
    GstElement* sink = gst_element_factory_make("fakesink", nullptr);
    g_object_set(level, "post-messages", TRUE, "interval", guint64(100 * GST_MSECOND), nullptr);
    g_object_set(sink, "sync", FALSE, nullptr);
    m_level = 0;
    return m_pipeline.play({source, convert, level, sink}, "microphone");
}

void MicrophoneMeter::stop()
{
    m_pipeline.stop();
    m_level = 0;
}

int MicrophoneMeter::level()
{
    if (!m_pipeline.pipeline())
        return 0;
    GstBus* bus = gst_element_get_bus(m_pipeline.pipeline());
    double peakDb = -60.0;
    bool any = false;
    while (GstMessage* message = gst_bus_pop_filtered(bus, GST_MESSAGE_ELEMENT)) {
        const GstStructure* s = gst_message_get_structure(message);
        if (s && gst_structure_has_name(s, "level")) {
            // "peak" is an array of doubles (dB), one per channel.
            const GValue* peaks = gst_structure_get_value(s, "peak");
            if (peaks && G_VALUE_HOLDS_BOXED(peaks)) {
                G_GNUC_BEGIN_IGNORE_DEPRECATIONS
                auto* array = static_cast<GValueArray*>(g_value_get_boxed(peaks));
                for (guint i = 0; array && i < array->n_values; ++i)
                    peakDb = std::max(peakDb, g_value_get_double(g_value_array_get_nth(array, i)));
                G_GNUC_END_IGNORE_DEPRECATIONS
                any = true;
            }
        }
        gst_message_unref(message);
    }
    gst_object_unref(bus);
    if (any)
        m_level = int(std::clamp((peakDb + 60.0) / 60.0 * 100.0, 0.0, 100.0));
    return m_level;
}

} // namespace conclave::ui
