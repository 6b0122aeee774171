// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/ComponentScanner.h"
#include "classification/Marking.h"
#include "classification/Scheme.h"
#include "common/Error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::classification {

/// Last stage of MarkingParser (internal): the rules that need the whole marking (which level
/// may carry what, what contradicts what) and the canonical assembly. Also the scheme-derived
/// wording that messages share, so that no UK word is written into the parser.
class MarkingRules {
public:
    /// marking.codeword_level, marking.caveat_level, marking.handling_level,
    /// marking.handling_sensitive, marking.handling_conflict.
    static std::optional<Error> check(const Scheme& scheme, const ScannedMarking& scanned);

    /// Builds the Marking in canonical order; records a sentence for each group it reorders.
    static Marking assemble(const Scheme& scheme, const ScannedMarking& scanned,
                            std::vector<std::string>& corrections);

    /// "LEVEL" or "LEVEL-SUFFIX".
    static std::string gradeName(const Scheme& scheme, size_t level, bool sensitive);
    /// Level names from..to (inclusive) as "A, B and C" (conjunction "and" or "or").
    static std::string levelList(const Scheme& scheme, size_t from, size_t to,
                                 std::string_view conjunction);
    /// All levels as "A, B or C".
    static std::string levelList(const Scheme& scheme);
    /// The grades that may carry the suffix, e.g. "OFFICIAL-SENSITIVE"; empty if none.
    static std::string sensitiveExample(const Scheme& scheme);
    /// Where this scheme uses a hyphen, for messages about a misplaced one.
    static std::string hyphenUse(const Scheme& scheme);
};

} // namespace conclave::classification
