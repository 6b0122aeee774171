// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/PhraseTable.h"
#include "classification/Scheme.h"
#include "common/Result.h"

#include <string>
#include <vector>

namespace conclave::classification {

/// The structure of a marking as written: its level and the components after it, in input
/// order (MarkingRules puts them in canonical order later).
struct ScannedMarking {
    size_t level = 0;
    bool sensitive = false;
    std::vector<Component> components;
};

/// Second stage of MarkingParser (internal): recognises the level, the suffix and each
/// component of the tokenised words. Refuses what can be judged while reading left to right:
/// unknown words, a level that is not first, two levels, components out of group order,
/// duplicates, malformed organisations and embargoes.
class ComponentScanner {
public:
    ComponentScanner(const Scheme& scheme, const std::vector<std::string>& words);

    /// Appends a sentence to `corrections` for each change it makes (suffix joined with a
    /// hyphen, embargo rewritten).
    Result<ScannedMarking> scan(std::vector<std::string>& corrections) const;

private:
    /// Fills level and sensitive; returns how many words they used.
    Result<size_t> readLevel(ScannedMarking& scanned, std::vector<std::string>& corrections) const;
    /// The component at `pos` and how many words it used; `pending` holds the unrecognised
    /// words before it, which only "<ORG> USE ONLY" may take as its organisation.
    Result<std::pair<Component, size_t>> makeComponent(const PhraseMatch& match, size_t pos,
                                                       const std::vector<std::string>& pending,
                                                       std::vector<std::string>& corrections) const;
    std::optional<Error> checkOrganisation(const std::vector<std::string>& org) const;
    std::optional<Error> checkAgainst(const std::vector<Component>& before,
                                      const Component& c) const;
    bool isUseOnly(const Component& c) const;
    Error unknownWord(const std::string& word) const;

    const Scheme& m_scheme;
    const std::vector<std::string>& m_words;
    PhraseTable m_table;
};

} // namespace conclave::classification
