// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::classification {

/// What a run of marking words was recognised as. The order is the canonical group order,
/// except that UseOnly and Embargo belong to the handling-instruction group.
enum class ComponentKind { Level, Codeword, Caveat, Handling, UseOnly, Embargo, Descriptor };

/// Position of a kind in the canonical order: level, codewords, caveat, handling, descriptors.
int componentGroup(ComponentKind kind);
/// "national caveat", "handling instruction" ... for messages.
std::string componentKindName(ComponentKind kind);

struct PhraseMatch {
    ComponentKind kind = ComponentKind::Level;
    size_t index = 0; ///< into the scheme list of that kind (levels, caveats ...)
    size_t wordCount = 0;
    /// Levels only: what followed "LEVEL-" in the last word ("SENSITIVE" for OFFICIAL-SENSITIVE).
    std::optional<std::string> suffix;
};

/// A recognised part of a marking after the level.
struct Component {
    ComponentKind kind = ComponentKind::Handling;
    size_t index = 0;   ///< into the scheme list of that kind; 0 for UseOnly and Embargo
    std::string phrase; ///< canonical text, e.g. "UK/US EYES ONLY", "HMRC USE ONLY"
};

/// Every phrase of a scheme, tried longest first so that "TOP SECRET" wins over "SECRET" and
/// "LEGAL PROFESSIONAL PRIVILEGE" over "LEGAL" (internal to MarkingParser).
class PhraseTable {
public:
    /// The words that close an "<ORG> USE ONLY" instruction when Scheme::orgUseOnly is set.
    static constexpr std::string_view kUseOnly = "USE ONLY";

    explicit PhraseTable(const Scheme& scheme);

    /// The longest scheme phrase starting at words[pos], if any. The grammar words (USE ONLY,
    /// EMBARGOED) lose ties to scheme phrases, so a scheme's own "HMG USE ONLY" is a fixed phrase.
    std::optional<PhraseMatch> match(const std::vector<std::string>& words, size_t pos) const;
    /// Only levels, which may carry a glued "-SUFFIX" on their last word.
    std::optional<PhraseMatch> matchLevel(const std::vector<std::string>& words, size_t pos) const;

private:
    struct Entry {
        std::vector<std::string> words;
        ComponentKind kind;
        size_t index;
    };
    std::optional<PhraseMatch> matchEntry(const Entry& entry, const std::vector<std::string>& words,
                                          size_t pos) const;

    std::vector<Entry> m_entries; ///< longest first; scheme phrases before grammar at equal length
};

} // namespace conclave::classification
