// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/DescriptorGate.h"

#include "classification/MarkingParser.h"
#include "common/Iso8601.h"
#include "meeting/MeetingOptionRules.h"
#include "policy/ApprovalEngine.h"

namespace conclave::hub {

DescriptorGate::DescriptorGate(QString ownPin, std::optional<HubApproval> approval)
    : m_ownPin(std::move(ownPin)), m_approval(std::move(approval))
{
}

Result<meeting::MeetingDescriptor> DescriptorGate::checkNew(const QByteArray& signedDescriptor,
                                                            const QByteArray& meetingId,
                                                            const crypto::Ed25519PublicKey& sender,
                                                            TimePoint now) const
{
    auto descriptor = meeting::MeetingDescriptor::fromSigned(signedDescriptor);
    if (!descriptor)
        return descriptor.error();
    if (!(descriptor->chair == sender))
        return makeError("meeting.not_chair",
                         "the meeting descriptor names a different chair than the key that sent "
                         "it; only the chair can open its meeting");
    if (descriptor->meetingId != meetingId)
        return makeError("meeting.id_mismatch",
                         "the descriptor is for a different meeting than the message carrying it");
    if (auto ok = checkHostable(*descriptor, now); !ok)
        return ok.error();
    return descriptor;
}

Result<meeting::MeetingDescriptor>
DescriptorGate::checkRevision(const QByteArray& signedDescriptor,
                              const meeting::MeetingDescriptor& current, TimePoint now) const
{
    auto next = checkNew(signedDescriptor, current.meetingId, current.chair, now);
    if (!next)
        return next.error();
    if (next->revision <= current.revision)
        return makeError("descriptor.stale", "descriptor revision " +
                                                 std::to_string(next->revision) +
                                                 " is not newer than the one in force (" +
                                                 std::to_string(current.revision) + ")");
    return next;
}

Result<void> DescriptorGate::checkHostable(const meeting::MeetingDescriptor& descriptor,
                                           TimePoint now) const
{
    if (!m_ownPin.isEmpty() && descriptor.hubPin != m_ownPin)
        return makeError("meeting.wrong_hub",
                         "the descriptor names a hub with a different TLS key (" +
                             descriptor.hubPin.toStdString() + ") than this one (" +
                             m_ownPin.toStdString() + "); the chair's invites would not lead here");
    return checkPolicy(descriptor, now);
}

Result<void> DescriptorGate::checkPolicy(const meeting::MeetingDescriptor& descriptor,
                                         TimePoint now) const
{
    if (!m_approval)
        return {};
    const policy::PolicyDocument& policy = m_approval->policy;
    // The policy was valid when the hub started; a hub runs for months, so the window is
    // checked again for every descriptor. An expired policy approves nothing.
    if (!policy.builtin && (now >= policy.notAfter || now < policy.notBefore))
        return makeError("policy.expired",
                         "this hub's " + policy.describe() + " is valid only from " +
                             formatUtcTimestamp(policy.notBefore) + " until " +
                             formatUtcTimestamp(policy.notAfter) +
                             ", so it hosts no meetings now; the hub's operator must install a "
                             "current policy from the security authority and restart the hub",
                         ErrorCategory::PolicyRefusal);
    const std::string backend = descriptor.backendId.toStdString();
    if (backend != m_approval->backendId)
        return makeError("backend_mismatch",
                         "the meeting is for backend '" + backend + "' but this hub is '" +
                             m_approval->backendId + "'",
                         ErrorCategory::PolicyRefusal);
    if (descriptor.schemeId.toStdString() != policy.scheme.id)
        return makeError("marking.scheme_mismatch",
                         "the meeting is marked under scheme '" +
                             descriptor.schemeId.toStdString() + "' but this hub's policy uses '" +
                             policy.scheme.id + "'",
                         ErrorCategory::PolicyRefusal);
    auto parsed =
        classification::MarkingParser(policy.scheme).parse(descriptor.marking.toStdString());
    if (!parsed) // the chair's client read it under its own policy: the two policies differ
        return parsed.error().withCategory(ErrorCategory::PolicyRefusal);
    // A signed descriptor carries the one canonical spelling; anything else is refused rather
    // than reinterpreted, so the hub and every client read the same label.
    if (parsed->marking.canonical != descriptor.marking.toStdString())
        return makeError("marking.not_canonical",
                         "the descriptor's marking '" + descriptor.marking.toStdString() +
                             "' is not written canonically ('" + parsed->marking.canonical + "')",
                         ErrorCategory::PolicyRefusal);
    const policy::Decision decision =
        policy::ApprovalEngine(policy).decideStart(backend, parsed->marking);
    if (!decision.allowed)
        return makeError(decision.code, decision.reason, ErrorCategory::PolicyRefusal);

    // The same reading of the rules the chair applied (meeting/MeetingOptionRules).
    if (const auto breach =
            meeting::ruleBreach(descriptor.options, policy.rulesFor(parsed->marking)))
        return makeError("options_not_allowed",
                         parsed->marking.canonical + " meetings " + *breach + " under " +
                             policy.describe(),
                         ErrorCategory::PolicyRefusal);
    return {};
}

} // namespace conclave::hub
