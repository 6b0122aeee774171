// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DeviceContext.h"
#include "JsonLineWriter.h"
#include "PolicyLoader.h"

namespace conclave::app {

/// `conclave --headless`: the window's content as JSON lines (identity, policy in force, and
/// for each approval grade the backends that may and may not carry it), for machines without
/// a display and for scripts.
class HeadlessReport {
public:
    explicit HeadlessReport(const JsonLineWriter& out) : m_out(out) {}
    void print(DeviceContext& device, const EffectivePolicy& effective) const;

private:
    const JsonLineWriter& m_out;
};

} // namespace conclave::app
