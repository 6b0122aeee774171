// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "policy/Decision.h"
#include "policy/PolicyDocument.h"

#include <string>
#include <string_view>
#include <vector>

namespace conclave::policy {

/// What a joiner knows when deciding whether to enter: the chair-signed descriptor's backend
/// and marking, the SPKI pin of the TLS key it is *actually* connected to, and the pin the
/// chair put in the invite.
struct JoinContext {
    std::string descriptorBackendId;
    classification::Marking marking;
    std::string connectedSpki;
    std::string invitePin;
    std::string chairKey;         ///< base64 of the descriptor's chair identity key
    bool reachedLoopback = false; ///< the hub reached is on this computer (a loopback address)
};

/// Where an embedded ("this computer") meeting's hub is: who hosts it, and whether it can only
/// be reached from this very computer.
struct EmbeddedHosting {
    std::string hostKey;       ///< base64 identity key of the chair hosting it
    bool loopbackOnly = false; ///< listening on (or reached at) a loopback address
};

/// A backend as offered in the "New meeting" list, with whether it may carry the marking.
struct BackendOption {
    std::string backendId;
    std::string backendName;
    Decision decision;
};

/// Backend approval decisions for one policy. Pure: same policy and inputs, same answer.
class ApprovalEngine {
public:
    explicit ApprovalEngine(const PolicyDocument& policy) : m_policy(policy) {}

    /// May a chair start a meeting with this marking on this backend?
    Decision decideStart(std::string_view backendId, const classification::Marking& marking) const;
    /// May a participant join, given what it is really connected to?
    Decision decideJoin(const JoinContext& context) const;
    /// May the chair change the marking mid-meeting? Raising needs the backend's approval for
    /// the new marking; lowering needs the chair's explicit confirmation.
    Decision decideMarkingChange(std::string_view backendId, const classification::Marking& from,
                                 const classification::Marking& to, bool loweringConfirmed) const;
    /// May an embedded backend carry this marking where it is hosted? Above the scheme's
    /// lowest grade nobody else can tell that a meeting called "this computer" is not on a
    /// server somewhere, so it must stay on loopback or be hosted by a managed device the
    /// backend's `hosts` lists (docs/policy.md, "Embedded backends").
    Decision decideEmbeddedHosting(const Backend& backend, const classification::Marking& marking,
                                   const EmbeddedHosting& hosting) const;
    /// Every backend of the policy with its decision for this marking.
    std::vector<BackendOption> backendOptions(const classification::Marking& marking) const;

private:
    Decision approveOn(const Backend& backend, const classification::Marking& marking) const;
    Decision refuseAboveBuiltin(const classification::Marking& marking) const;
    std::string approvedAlternatives(const classification::Marking& marking) const;

    const PolicyDocument& m_policy;
};

} // namespace conclave::policy
