// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/PolicyDocument.h"

#include <algorithm>

namespace conclave::policy {

const Backend* PolicyDocument::findBackend(std::string_view id) const
{
    const auto it = std::find_if(backends.begin(), backends.end(),
                                 [&](const Backend& b) { return b.id == id; });
    return it == backends.end() ? nullptr : &*it;
}

const Backend* PolicyDocument::findBackendByPin(std::string_view spkiSha256) const
{
    const auto it = std::find_if(backends.begin(), backends.end(),
                                 [&](const Backend& b) { return b.hasPin(spkiSha256); });
    return it == backends.end() ? nullptr : &*it;
}

MeetingRules PolicyDocument::rulesFor(const classification::Marking& marking) const
{
    const auto it = rulesByGrade.find(classification::approvalGrade(scheme, marking));
    return it == rulesByGrade.end() ? MeetingRules{} : it->second;
}

std::string PolicyDocument::describe() const
{
    if (builtin)
        return "the built-in public-business-only policy";
    return "policy serial " + std::to_string(serial) + " from " + issuer;
}

} // namespace conclave::policy
