// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/FrameCodec.h"

#include <cstring>

namespace conclave::media {

std::optional<crypto::MediaCodec> codecOfCaps(const GstCaps* caps)
{
    if (!caps || gst_caps_get_size(caps) == 0)
        return std::nullopt;
    const char* name = gst_structure_get_name(gst_caps_get_structure(caps, 0));
    if (std::strcmp(name, "video/x-vp8") == 0)
        return crypto::MediaCodec::Vp8;
    if (std::strcmp(name, "audio/x-opus") == 0)
        return crypto::MediaCodec::Opus;
    return std::nullopt;
}

void addFramePadTemplates(GstElementClass* elementClass)
{
    GstCaps* caps = gst_caps_from_string(kFrameCaps);
    for (auto [name, direction] : {std::pair{"sink", GST_PAD_SINK}, std::pair{"src", GST_PAD_SRC}})
        gst_element_class_add_pad_template(
            elementClass, gst_pad_template_new(name, direction, GST_PAD_ALWAYS, caps));
    gst_caps_unref(caps);
}

} // namespace conclave::media
