// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::classification {

/// An embargo read from marking words: its canonical phrase and how many words it used.
struct EmbargoMatch {
    std::string phrase; ///< "EMBARGOED UNTIL 2026-12-01 09:00 UTC"
    size_t wordCount = 0;
    std::optional<std::string> correction; ///< set when the input was written another way
};

/// Reads "EMBARGOED UNTIL <date> <time> UTC" (internal to MarkingParser). The time must be UTC
/// because a meeting's participants may sit in different zones and an embargo that means
/// different instants to different readers is worse than none.
class EmbargoParser {
public:
    static constexpr std::string_view kKeyword = "EMBARGOED";
    static constexpr std::string_view kUntil = "UNTIL";
    static constexpr std::string_view kUtc = "UTC";
    static constexpr std::string_view kExample = "EMBARGOED UNTIL 2026-12-01 09:00 UTC";

    /// `pos` is the index of the EMBARGOED word. Accepts "2026-12-01 09:00 UTC",
    /// "2026-12-01T09:00Z" and their mixtures. Errors: marking.embargo_missing,
    /// marking.embargo_format, marking.embargo_date, marking.embargo_time,
    /// marking.embargo_timezone.
    static Result<EmbargoMatch> parse(const std::vector<std::string>& words, size_t pos);
};

} // namespace conclave::classification
