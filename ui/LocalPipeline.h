// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <gst/gst.h>

#include <initializer_list>

namespace conclave::ui {

/// A small pipeline that never leaves this computer (the pre-join device checks): a chain of
/// elements, linked in order and playing, torn down on stop() or destruction.
class LocalPipeline {
public:
    LocalPipeline() = default;
    ~LocalPipeline() { stop(); }
    LocalPipeline(const LocalPipeline&) = delete;
    LocalPipeline& operator=(const LocalPipeline&) = delete;

    /// Takes ownership of `chain` (all non-null) and plays it; `what` names it in the error
    /// ("media.preview": "the camera could not be started").
    Result<void> play(std::initializer_list<GstElement*> chain, const char* what);
    void stop();
    GstElement* pipeline() const { return m_pipeline; }

private:
    GstElement* m_pipeline = nullptr;
};

} // namespace conclave::ui
