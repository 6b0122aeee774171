// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DeviceContext.h"
#include "JsonLineWriter.h"
#include "PolicyLoader.h"
#include "common/Clock.h"

namespace conclave::app {

/// `conclave --headless --demo`: the demo meeting without a window - hosted on this
/// computer, three simulated participants with encrypted test media - played through by
/// DemoScript, every meeting event printed as a JSON line. Exit 0 when the script reached
/// the end, 3 when the policy refused the meeting, 1 otherwise.
class HeadlessDemo {
public:
    HeadlessDemo(DeviceContext& device, const EffectivePolicy& effective, const Clock& clock,
                 const JsonLineWriter& out)
        : m_device(device), m_effective(effective), m_clock(clock), m_out(out)
    {
    }
    int run();

private:
    DeviceContext& m_device;
    const EffectivePolicy& m_effective;
    const Clock& m_clock;
    const JsonLineWriter& m_out;
};

} // namespace conclave::app
