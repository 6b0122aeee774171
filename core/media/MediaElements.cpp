// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/MediaElements.h"

#include "media/SframeDecrypt.h"
#include "media/SframeEncrypt.h"
#include "media/Vp8Payloader.h"

#include <QThreadPool>

#include <gst/gst.h>

#include <mutex>
#include <string>

namespace conclave::media {
namespace {

/// What the pipelines use, and the Debian package that brings it.
constexpr std::pair<const char*, const char*> kNeeded[] = {
    {"webrtcbin", "gstreamer1.0-plugins-bad"},     {"nicesrc", "gstreamer1.0-nice"},
    {"vp8enc", "gstreamer1.0-plugins-good"},       {"vp8dec", "gstreamer1.0-plugins-good"},
    {"rtpvp8depay", "gstreamer1.0-plugins-good"},  {"opusenc", "gstreamer1.0-plugins-base"},
    {"opusdec", "gstreamer1.0-plugins-base"},      {"rtpopuspay", "gstreamer1.0-plugins-good"},
    {"rtpopusdepay", "gstreamer1.0-plugins-good"}, {"videotestsrc", "gstreamer1.0-plugins-base"},
    {"audiotestsrc", "gstreamer1.0-plugins-base"}, {"videoconvert", "gstreamer1.0-plugins-base"},
    {"dtlsdec", "gstreamer1.0-plugins-bad"},
};

Result<void> initialiseOnce()
{
    GError* error = nullptr;
    if (!gst_init_check(nullptr, nullptr, &error)) {
        const std::string why = error ? error->message : "unknown reason";
        g_clear_error(&error);
        return makeError("media.init_failed", "GStreamer could not start: " + why);
    }
    const bool registered =
        gst_element_register(nullptr, "conclavesframeenc", GST_RANK_NONE, sframe_encrypt::type()) &&
        gst_element_register(nullptr, "conclavesframedec", GST_RANK_NONE, sframe_decrypt::type()) &&
        gst_element_register(nullptr, "conclavevp8pay", GST_RANK_NONE, vp8_payloader::type());
    if (!registered)
        return makeError("media.init_failed", "Conclave's media elements could not be registered");
    for (const auto& [element, package] : kNeeded) {
        GstElementFactory* factory = gst_element_factory_find(element);
        if (!factory)
            return makeError("media.missing_element",
                             std::string("the GStreamer element '") + element +
                                 "' is not installed; install the Debian package " + package);
        gst_object_unref(factory);
    }
    return {};
}

} // namespace

Result<void> initialiseMedia()
{
    static std::once_flag once;
    static Result<void> result = makeError("media.init_failed", "not initialised");
    std::call_once(once, [] { result = initialiseOnce(); });
    return result;
}

void prepareDtlsCertificate()
{
    static std::once_flag once;
    std::call_once(once, [] {
        QThreadPool::globalInstance()->start([] {
            // The first dtlsdec makes the process-wide certificate every later one (and every
            // webrtcbin) shares; this one is dropped at once.
            if (GstElement* dtls = gst_element_factory_make("dtlsdec", nullptr))
                gst_object_unref(gst_object_ref_sink(dtls));
        });
    });
}

} // namespace conclave::media
