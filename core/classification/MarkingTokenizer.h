// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace conclave::classification {

/// Marking text cut into words: ASCII capitals, digits and "-/&:+" only; '-' and '/' are
/// glued to their neighbours ("OFFICIAL-SENSITIVE", "UK/US"), so a word never contains a space.
struct MarkingWords {
    std::vector<std::string> words;
    std::vector<std::string> corrections; ///< plain-English sentences, in the order applied
};

/// First stage of MarkingParser (internal): checks the text character by character, fixes what
/// is unambiguous (case, whitespace, look-alike hyphens, spaces around '-' and '/') and records
/// each fix. It knows nothing of any scheme, so the words it returns still need matching.
class MarkingTokenizer {
public:
    /// Errors: marking.invalid_utf8, marking.control_character, marking.character_not_allowed.
    /// An empty result (no words) means the text was empty or only whitespace.
    static Result<MarkingWords> tokenize(std::string_view text);
};

} // namespace conclave::classification
