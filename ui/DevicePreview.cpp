// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/DevicePreview.h"

#include "media/DeviceList.h"
#include "media/MediaElements.h"
#include "ui/FrameRouter.h"

namespace conclave::ui {

Result<void> DevicePreview::start(const QString& cameraId, bool testPattern)
{
    stop();
    if (auto ready = media::initialiseMedia(); !ready)
        return ready.error();
    GstElement* source =
        testPattern ? gst_element_factory_make("videotestsrc", nullptr)
                    : media::DeviceList::createSource(media::MediaDevice::Kind::Camera, cameraId);
    if (!source)
        return makeError("media.no_device", "there is no camera to preview");
    if (testPattern)
        g_object_set(source, "is-live", TRUE, "pattern", 18 /* ball */, nullptr);
    GstElement* sink = m_frames.makeVideoSink(kPreviewPeer, media::StreamKind::Camera);
    GstElement* rate = gst_element_factory_make("videorate", nullptr);
    GstElement* caps = gst_element_factory_make("capsfilter", nullptr);
    GstCaps* limit = gst_caps_from_string("video/x-raw,framerate=15/1");
    g_object_set(caps, "caps", limit, nullptr);
    gst_caps_unref(limit);
    return m_pipeline.play({source, rate, caps, sink}, "camera");
}

void DevicePreview::stop()
{
    m_pipeline.stop();
}

} // namespace conclave::ui
