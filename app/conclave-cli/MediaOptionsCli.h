// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandParser.h"
#include "common/Result.h"
#include "media/MediaOptions.h"

#include <optional>

namespace conclave::app {

/// `--media off|test|devices`, `--camera`, `--microphone` and `--media-address` for
/// conclave-cli host and join.
void addMediaOptions(CommandParser& cmd);
/// The options asked for, nullopt with --media off; an error ("usage") for a bad value.
Result<std::optional<media::MediaOptions>> mediaOptionsFrom(CommandParser& cmd);

} // namespace conclave::app
