// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <gst/gst.h>

#include <vector>

namespace conclave::media {

/// A camera or microphone GStreamer can open.
struct MediaDevice {
    enum class Kind { Camera, Microphone };
    Kind kind = Kind::Camera;
    QString id;   ///< what --camera / --microphone and the settings store take
    QString name; ///< for people
};

/// Cameras and microphones on this computer (GstDeviceMonitor). A computer without any is
/// normal (a server, a meeting-room PC without a camera): the lists are empty, and the media
/// layer sends nothing on that stream but still receives everyone else's.
class DeviceList {
public:
    static std::vector<MediaDevice> list();
    /// A source element for the device with `id`, or for the first of `kind` when `id` is
    /// empty; nullptr when there is none.
    static GstElement* createSource(MediaDevice::Kind kind, const QString& id);
    /// The screen: ximagesrc on X11, pipewiresrc where PipeWire runs; nullptr without either.
    static GstElement* createScreenSource();
};

} // namespace conclave::media
