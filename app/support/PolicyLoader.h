// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConfigLocations.h"
#include "common/Clock.h"
#include "common/Error.h"
#include "policy/PolicyDocument.h"
#include "policy/PolicyVerifier.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace conclave::app {

class SerialLedger;

/// The policy a program runs under: the verified signed policy, or - when there is none or it
/// is refused - the built-in public-business-only policy together with the reason.
struct EffectivePolicy {
    policy::PolicyDocument document;
    std::optional<policy::VerifiedPolicy> verified;
    std::optional<Error> problem; ///< why the signed policy is not in force, if it is not
    std::vector<Error> notices;   ///< settings ignored on the way (ConfigLocations::notices)
};

class PolicyLoader {
public:
    explicit PolicyLoader(const Clock& clock) : m_clock(clock) {}

    /// Never fails: a missing or refused policy yields the built-in one (fail closed to the
    /// least the organisation could want), with `problem` saying why.
    EffectivePolicy load(const ConfigLocations& locations,
                         const policy::HighestSerials& highestSeen) const;

    /// load() against `ledger`'s floors, then records the accepted serial in it. A ledger that
    /// cannot be read or written leaves the built-in policy in force (fail closed): without
    /// the record, an old policy could not be told from the current one.
    EffectivePolicy loadRecorded(const ConfigLocations& locations, SerialLedger& ledger) const;

    /// Verifies one policy file against an anchor directory; errors as PolicyVerifier, plus
    /// file.* errors and "policy.unsigned" when the .sig file is missing. Every error is
    /// classified: InvalidInput for the files (unreadable, too large, malformed), PolicyRefusal
    /// for the rest (unsigned, no anchors, signature, validity, rollback).
    Result<policy::VerifiedPolicy> verifyFiles(const QString& policyFile, const QString& anchorsDir,
                                               const policy::HighestSerials& highestSeen) const;

private:
    const Clock& m_clock;
};

} // namespace conclave::app
