// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"
#include "common/Clock.h"
#include "policy/Backend.h"
#include "policy/MeetingRules.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::policy {

/// A parsed policy. Either signed by the organisation's security authority (verified by
/// PolicyVerifier) or the built-in public-business-only policy (`builtin` set).
struct PolicyDocument {
    uint64_t serial = 0;
    std::string issuer;
    TimePoint notBefore;
    TimePoint notAfter;
    classification::Scheme scheme;
    std::vector<Backend> backends;
    std::map<size_t, MeetingRules> rulesByGrade; ///< key: index in scheme.approvalGrades()
    bool builtin = false;

    const Backend* findBackend(std::string_view id) const;
    /// The backend one of whose endpoints carries this SPKI pin, if any.
    const Backend* findBackendByPin(std::string_view spkiSha256) const;
    /// Rules for a marking's grade; the strictest defaults when the policy names none.
    MeetingRules rulesFor(const classification::Marking& marking) const;
    /// "policy serial 7 from Department X Security Authority" / "the built-in ... policy".
    std::string describe() const;
};

} // namespace conclave::policy
