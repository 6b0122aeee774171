// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "ui/LocalPipeline.h"

#include <QString>

namespace conclave::ui {

/// The pre-join microphone check: a local pipeline from the chosen microphone (or the test
/// tone) into GStreamer's level element, read on the GUI thread. Nothing of it is sent or
/// recorded.
class MicrophoneMeter {
public:
    /// `microphoneId` from DeviceList; empty with `testTone` for the test tone.
    Result<void> start(const QString& microphoneId, bool testTone);
    void stop();
    /// The loudest recent level, 0 (silence, -60 dB or below) to 100 (0 dB); reads the
    /// level messages that arrived since the last call.
    int level();

private:
    LocalPipeline m_pipeline;
    int m_level = 0;
};

} // namespace conclave::ui
