// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"

#include <optional>
#include <string>
#include <vector>

namespace conclave::classification {

/// A validated marking. Only MarkingParser creates these, so a Marking is always valid for
/// the scheme it was parsed against and `canonical` is its one true spelling.
struct Marking {
    size_t level = 0;
    bool sensitive = false;
    std::vector<std::string> codewords;
    std::optional<std::string> caveat;
    std::vector<std::string> handlingInstructions; ///< canonical phrases, e.g. "HMRC USE ONLY"
    std::vector<std::string> descriptors;
    std::string canonical;

    friend bool operator==(const Marking& a, const Marking& b)
    {
        return a.canonical == b.canonical;
    }
};

/// Position in Scheme::approvalGrades() (OFFICIAL=0, OFFICIAL-SENSITIVE=1, SECRET=2 ... in UK).
size_t approvalGrade(const Scheme& scheme, const Marking& marking);

/// The grade name of a marking ("OFFICIAL-SENSITIVE" for "OFFICIAL-SENSITIVE PERSONAL DATA").
std::string approvalGradeName(const Scheme& scheme, const Marking& marking);

/// Jurisdictions a backend must be in to carry this marking; empty means no restriction.
std::vector<std::string> requiredJurisdictions(const Scheme& scheme, const Marking& marking);

/// Banner colours for the marking's level.
const Level& levelOf(const Scheme& scheme, const Marking& marking);

} // namespace conclave::classification
