// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/MeetingDescriptor.h"
#include "policy/PolicyDocument.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>

namespace conclave::hub {

/// The hub's own policy, when it is run with one: the signed policy in force and the id this
/// hub has in it. Without it the hub hosts any correctly signed meeting; the clients still
/// enforce their policy at start and join (defence in depth, not the only line).
struct HubApproval {
    policy::PolicyDocument policy;
    std::string backendId;
};

/// Decides whether the hub will host a meeting under a chair-signed descriptor: the signature
/// verifies, the chair is the one sending it, the descriptor names this hub's key and (with a
/// policy) this backend, the policy is still inside its validity window, the marking is
/// approved here and the options are no looser than the policy's rules for that marking.
class DescriptorGate {
public:
    /// `ownPin` is this hub's SPKI pin; empty skips the pin check (tests without TLS).
    explicit DescriptorGate(QString ownPin = {}, std::optional<HubApproval> approval = {});

    /// For `create`: the descriptor must be for `meetingId` and signed by `sender`. `now` is
    /// checked against the policy's validity window ("policy.expired").
    Result<meeting::MeetingDescriptor> checkNew(const QByteArray& signedDescriptor,
                                                const QByteArray& meetingId,
                                                const crypto::Ed25519PublicKey& sender,
                                                TimePoint now) const;
    /// For a `descriptor` message: a later revision of `current`, same meeting and chair.
    Result<meeting::MeetingDescriptor> checkRevision(const QByteArray& signedDescriptor,
                                                     const meeting::MeetingDescriptor& current,
                                                     TimePoint now) const;

    bool enforcesPolicy() const { return m_approval.has_value(); }

private:
    Result<void> checkHostable(const meeting::MeetingDescriptor& descriptor, TimePoint now) const;
    Result<void> checkPolicy(const meeting::MeetingDescriptor& descriptor, TimePoint now) const;

    QString m_ownPin;
    std::optional<HubApproval> m_approval;
};

} // namespace conclave::hub
