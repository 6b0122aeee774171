// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/Marking.h"

#include <algorithm>

namespace conclave::classification {

size_t approvalGrade(const Scheme& scheme, const Marking& marking)
{
    auto index = scheme.gradeIndex(approvalGradeName(scheme, marking));
    return index.value_or(0);
}

std::string approvalGradeName(const Scheme& scheme, const Marking& marking)
{
    std::string name = scheme.levels.at(marking.level).name;
    if (marking.sensitive)
        name += "-" + scheme.sensitiveSuffix;
    return name;
}

std::vector<std::string> requiredJurisdictions(const Scheme& scheme, const Marking& marking)
{
    if (!marking.caveat)
        return {};
    const auto it =
        std::find_if(scheme.caveats.begin(), scheme.caveats.end(),
                     [&](const NationalCaveat& c) { return c.phrase == *marking.caveat; });
    return it == scheme.caveats.end() ? std::vector<std::string>{} : it->jurisdictions;
}

const Level& levelOf(const Scheme& scheme, const Marking& marking)
{
    return scheme.levels.at(marking.level);
}

} // namespace conclave::classification
