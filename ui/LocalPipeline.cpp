// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/LocalPipeline.h"

#include <algorithm>
#include <string>

namespace conclave::ui {

Result<void> LocalPipeline::play(std::initializer_list<GstElement*> chain, const char* what)
{
    stop();
    if (std::find(chain.begin(), chain.end(), nullptr) != chain.end()) {
        for (GstElement* element : chain)
            if (element)
                gst_object_unref(gst_object_ref_sink(element));
        return makeError("media.missing_element", std::string("a GStreamer element the ") + what +
                                                      " check needs is not installed");
    }
    m_pipeline = gst_pipeline_new(nullptr);
    GstElement* previous = nullptr;
    bool linked = true;
    for (GstElement* element : chain) {
        gst_bin_add(GST_BIN(m_pipeline), element);
        linked = linked && (!previous || gst_element_link(previous, element));
        previous = element;
    }
    if (!linked ||
        gst_element_set_state(m_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        stop();
        return makeError("media.preview", std::string("the ") + what + " could not be started");
    }
    return {};
}

void LocalPipeline::stop()
{
    if (!m_pipeline)
        return;
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
    gst_object_unref(m_pipeline);
    m_pipeline = nullptr;
}

} // namespace conclave::ui
