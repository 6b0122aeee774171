// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"

#include <QString>

// Schemes shared by the classification tests.
namespace conclave::classification::testschemes {

/// A second scheme built here, not in the product: none of its phrases is a UK phrase (though
/// "COSMIC TOP SECRET" contains the UK level), so it proves the parser takes every word from
/// the Scheme and still matches the longest phrase.
inline Scheme natoScheme()
{
    Scheme s;
    s.id = "nato-test";
    s.name = "NATO classifications (test)";
    s.levels = {
        {"NATO UNCLASSIFIED", "#FFFFFF", "#000000"}, {"NATO RESTRICTED", "#1D4E89", "#FFFFFF"},
        {"NATO CONFIDENTIAL", "#2E7D32", "#FFFFFF"}, {"NATO SECRET", "#B10E1E", "#FFFFFF"},
        {"COSMIC TOP SECRET", "#F9C74F", "#000000"},
    };
    s.handlingInstructions = {{"EXERCISE ONLY", std::nullopt, true, false}};
    s.descriptors = {"ATOMAL"};
    // Jurisdiction lists abbreviated: test data, not policy.
    s.caveats = {{"RELEASABLE TO EU", {"BE", "DE", "FR", "NL"}}, {"RELEASABLE TO AUS", {"AU"}}};
    s.caveatMinLevel = 2;
    s.codewordMinLevel = 3;
    return s;
}

inline Scheme ukWithCodewords()
{
    Scheme s = Scheme::ukGovernment();
    s.codewords = {"NIGHTJAR", "KESTREL"};
    return s;
}

/// "uk" (built in), "ukcw" (UK plus registered codewords NIGHTJAR, KESTREL) or "nato".
inline const Scheme& scheme(const QString& name)
{
    static const Scheme uk = Scheme::ukGovernment();
    static const Scheme nato = natoScheme();
    static const Scheme ukcw = ukWithCodewords();
    if (name == "nato")
        return nato;
    if (name == "ukcw")
        return ukcw;
    return uk;
}

} // namespace conclave::classification::testschemes
