// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace conclave::classification {

/// One tier of a scheme ("OFFICIAL", "SECRET" ...). Colours are "#RRGGBB" for the banners.
struct Level {
    std::string name;
    std::string background;
    std::string foreground;
};

/// A fixed handling-instruction phrase such as "RECIPIENTS ONLY".
struct HandlingInstruction {
    std::string phrase;
    /// Highest level index it may appear on (FOR PUBLIC RELEASE: OFFICIAL only).
    std::optional<size_t> maxLevel;
    /// False where the phrase contradicts the sensitive marking (FOR PUBLIC RELEASE).
    bool allowedWithSensitive = true;
    /// Marks release to the public: cannot be combined with restrictive instructions.
    bool publicRelease = false;
};

/// A national caveat ("UK EYES ONLY") and the jurisdictions (ISO 3166 alpha-2) whose
/// backends may carry a meeting that bears it.
struct NationalCaveat {
    std::string phrase;
    std::vector<std::string> jurisdictions;
};

/// A classification scheme as data. The UK Government Security Classifications are built in;
/// a policy may define another (e.g. NATO) in the same shape.
///
/// Canonical marking order: LEVEL[-SENSITIVE] [CODEWORD ...] [CAVEAT] [HANDLING ...] [DESCRIPTOR
/// ...]
struct Scheme {
    std::string id;
    std::string name;
    std::vector<Level> levels; ///< lowest first
    /// The suffix word written as LEVEL-SUFFIX ("SENSITIVE"); empty when the scheme has none.
    std::string sensitiveSuffix;
    /// Level indices that may carry the suffix (UK: OFFICIAL only).
    std::vector<size_t> sensitiveLevels;
    std::vector<HandlingInstruction> handlingInstructions; ///< in canonical order
    bool orgUseOnly = false;                               ///< "<ORG> USE ONLY" accepted
    bool embargo = false;                 ///< "EMBARGOED UNTIL YYYY-MM-DD HH:MM UTC" accepted
    std::vector<std::string> descriptors; ///< in canonical order
    std::vector<NationalCaveat> caveats;
    size_t caveatMinLevel = 0;          ///< lowest level index that may carry a caveat
    std::vector<std::string> codewords; ///< codewords this organisation has registered
    size_t codewordMinLevel = 0;

    /// UK Government Security Classifications (2023/2024): the default scheme.
    static Scheme ukGovernment();

    /// Ordered names used for approval decisions: every level, with LEVEL-SUFFIX right after
    /// each level that may carry it. UK: OFFICIAL < OFFICIAL-SENSITIVE < SECRET < TOP SECRET.
    std::vector<std::string> approvalGrades() const;
    /// Index of a grade name in approvalGrades(); nullopt for anything else.
    std::optional<size_t> gradeIndex(const std::string& gradeName) const;
    /// Checks internal consistency (non-empty, unique names, indices in range, colours).
    std::optional<std::string> validationError() const;
};

} // namespace conclave::classification
