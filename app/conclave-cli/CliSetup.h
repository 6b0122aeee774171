// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandParser.h"
#include "DeviceContext.h"
#include "common/Clock.h"

#include <memory>
#include <variant>

namespace conclave::app {

/// Options every conclave-cli command shares (--data, --config) and opening the device with
/// them. Headless programs protect a new identity with a 0600 key file (no keyring prompt).
void addDeviceOptions(CommandParser& cmd);
std::variant<std::unique_ptr<DeviceContext>, int> openDevice(CommandParser& cmd, const Clock& clock,
                                                             const JsonLineWriter& out);
ConfigLocations configLocations(CommandParser& cmd);

} // namespace conclave::app
