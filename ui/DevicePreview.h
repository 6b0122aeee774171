// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "ui/LocalPipeline.h"

#include <QString>

#include <gst/gst.h>

namespace conclave::ui {

class FrameRouter;

/// The pre-join camera check: a small local pipeline from the chosen camera (or the test
/// pattern) into a video tile. Nothing of it leaves the computer.
class DevicePreview {
public:
    static constexpr uint32_t kPreviewPeer = 0xFFFFFFFF;

    explicit DevicePreview(FrameRouter& frames) : m_frames(frames) {}

    /// `cameraId` from DeviceList; empty with `testPattern` for the test pattern.
    Result<void> start(const QString& cameraId, bool testPattern);
    void stop();

private:
    FrameRouter& m_frames;
    LocalPipeline m_pipeline;
};

} // namespace conclave::ui
