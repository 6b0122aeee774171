// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"

#include <string>
#include <string_view>

namespace conclave {

/// Strict UTC timestamps "YYYY-MM-DDTHH:MM:SSZ" (what policies and audit entries carry).
/// Anything else - local offsets, missing seconds, impossible dates - is an error.
Result<TimePoint> parseUtcTimestamp(std::string_view text);
std::string formatUtcTimestamp(TimePoint t);

/// True for a real calendar date (leap years included).
bool isValidDate(int year, int month, int day);

} // namespace conclave
