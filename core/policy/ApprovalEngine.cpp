// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/ApprovalEngine.h"

#include <algorithm>

namespace conclave::policy {
namespace {

using classification::Marking;

std::string joinList(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string quoted(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

} // namespace

Decision ApprovalEngine::refuseAboveBuiltin(const Marking& marking) const
{
    return Decision::refuse(
        "no_signed_policy",
        marking.canonical + " meetings need a signed policy. Conclave is running on " +
            m_policy.describe() + ", which allows OFFICIAL meetings only, because " +
            m_policy.issuer +
            ". Ask your IT security team to install a policy signed by your organisation's "
            "security authority that approves a backend for " +
            approvalGradeName(m_policy.scheme, marking) + ".");
}

std::string ApprovalEngine::approvedAlternatives(const Marking& marking) const
{
    std::vector<std::string> names;
    for (const auto& b : m_policy.backends)
        if (approveOn(b, marking).allowed)
            names.push_back(quoted(b.id));
    if (names.empty())
        return "No backend in " + m_policy.describe() +
               " is approved for it; ask your security "
               "authority to approve one.";
    return "Backends approved for it: " + joinList(names) + ".";
}

Decision ApprovalEngine::approveOn(const Backend& backend, const Marking& marking) const
{
    const auto& scheme = m_policy.scheme;
    const std::string grade = approvalGradeName(scheme, marking);
    if (approvalGrade(scheme, marking) > approvalGrade(scheme, backend.maxMarking))
        return Decision::refuse("marking_not_approved",
                                grade + " meetings are not approved on backend " +
                                    quoted(backend.id) + " (approved up to " +
                                    backend.maxMarking.canonical + ").");
    const auto jurisdictions = requiredJurisdictions(scheme, marking);
    if (!jurisdictions.empty() && std::find(jurisdictions.begin(), jurisdictions.end(),
                                            backend.jurisdiction) == jurisdictions.end())
        return Decision::refuse("jurisdiction_not_allowed",
                                "The caveat " + marking.caveat.value_or("") +
                                    " allows only backends in " + joinList(jurisdictions) +
                                    ", but backend " + quoted(backend.id) + " is in " +
                                    backend.jurisdiction + ".");
    return Decision::allow(marking.canonical + " meetings are approved on backend " +
                           quoted(backend.id) + " (approved up to " + backend.maxMarking.canonical +
                           ") by " + m_policy.describe() + ".");
}

Decision ApprovalEngine::decideStart(std::string_view backendId, const Marking& marking) const
{
    if (m_policy.builtin) {
        if (approvalGrade(m_policy.scheme, marking) > 0)
            return refuseAboveBuiltin(marking);
        return Decision::allow(marking.canonical + " meetings are allowed on any backend by " +
                               m_policy.describe() + ".");
    }
    const Backend* backend = m_policy.findBackend(backendId);
    if (!backend)
        return Decision::refuse("unknown_backend", "Backend " + quoted(backendId) +
                                                       " is not listed in " + m_policy.describe() +
                                                       ", so no meeting may be held on it. " +
                                                       approvedAlternatives(marking));
    Decision d = approveOn(*backend, marking);
    if (!d.allowed)
        d.reason += " " + approvedAlternatives(marking);
    return d;
}

Decision ApprovalEngine::decideJoin(const JoinContext& context) const
{
    if (m_policy.builtin) {
        if (approvalGrade(m_policy.scheme, context.marking) > 0)
            return refuseAboveBuiltin(context.marking);
        return Decision::allow("OFFICIAL meetings may be joined on any backend under " +
                               m_policy.describe() + ".");
    }
    const Backend* named = m_policy.findBackend(context.descriptorBackendId);
    if (!named)
        return Decision::refuse("unknown_backend",
                                "The meeting says it is held on backend " +
                                    quoted(context.descriptorBackendId) + ", which " +
                                    m_policy.describe() +
                                    " does not list. Do not join; report the invite to your "
                                    "security team.");
    if (named->kind == BackendKind::Embedded) {
        // A meeting hosted on the chair's computer is identified by the pin the chair signed.
        if (context.invitePin.empty() || context.connectedSpki != context.invitePin)
            return Decision::refuse("server_key_mismatch",
                                    "The computer you reached (TLS key " + context.connectedSpki +
                                        ") is not the one the chair's invite names (" +
                                        (context.invitePin.empty() ? "none" : context.invitePin) +
                                        "). Do not join; someone may be intercepting the meeting.");
        if (Decision d = approveOn(*named, context.marking); !d.allowed)
            return d;
        return decideEmbeddedHosting(*named, context.marking,
                                     {context.chairKey, context.reachedLoopback});
    }
    const Backend* actual = m_policy.findBackendByPin(context.connectedSpki);
    if (!actual)
        return Decision::refuse(
            "unknown_server", "The server you are connected to (TLS key " + context.connectedSpki +
                                  ") is not an approved backend in " + m_policy.describe() +
                                  ". Do not join; report the invite to your security team.");
    if (actual->id != named->id)
        return Decision::refuse("backend_mismatch",
                                "The meeting says it is held on backend " + quoted(named->id) +
                                    ", but you are connected to " + quoted(actual->id) +
                                    ". Do not join; the invite or the network has been tampered "
                                    "with.");
    return approveOn(*actual, context.marking);
}

Decision ApprovalEngine::decideMarkingChange(std::string_view backendId, const Marking& from,
                                             const Marking& to, bool loweringConfirmed) const
{
    const auto& scheme = m_policy.scheme;
    if (approvalGrade(scheme, to) < approvalGrade(scheme, from) && !loweringConfirmed)
        return Decision::refuse("lowering_needs_confirmation",
                                "Lowering the marking from " + from.canonical + " to " +
                                    to.canonical +
                                    " needs the chair's explicit confirmation that nothing above " +
                                    approvalGradeName(scheme, to) + " will be discussed.");
    // Same or higher grade, or a confirmed lowering: the new marking must still fit here
    // (a caveat added at the same grade may narrow the allowed jurisdictions).
    Decision d = decideStart(backendId, to);
    if (d.allowed)
        d.reason = "The marking may change from " + from.canonical + " to " + to.canonical + ": " +
                   d.reason;
    return d;
}

Decision ApprovalEngine::decideEmbeddedHosting(const Backend& backend, const Marking& marking,
                                               const EmbeddedHosting& hosting) const
{
    if (backend.kind != BackendKind::Embedded || approvalGrade(m_policy.scheme, marking) == 0)
        return Decision::allow(marking.canonical + " meetings may be hosted on any computer.");
    if (hosting.loopbackOnly)
        return Decision::allow("the meeting's hub can be reached only from this computer.");
    if (std::find(backend.hosts.begin(), backend.hosts.end(), hosting.hostKey) !=
        backend.hosts.end())
        return Decision::allow("the chair's device is one " + m_policy.describe() +
                               " lists as a host for backend " + quoted(backend.id) + ".");
    return Decision::refuse(
        "embedded_host_not_listed",
        approvalGradeName(m_policy.scheme, marking) + " meetings on backend " + quoted(backend.id) +
            " must be hosted by a managed device that " + m_policy.describe() +
            " lists for it, because nobody joining can otherwise tell that the meeting is on "
            "the chair's own computer and not on a server elsewhere; the chair's device (key " +
            hosting.hostKey +
            ") is not listed. Use an approved hub backend, keep the meeting to this computer "
            "(a loopback address), or ask your security authority to add the device's key to "
            "the backend's hosts.");
}

std::vector<BackendOption> ApprovalEngine::backendOptions(const Marking& marking) const
{
    std::vector<BackendOption> options;
    for (const auto& b : m_policy.backends)
        options.push_back({b.id, b.name, approveOn(b, marking)});
    return options;
}

} // namespace conclave::policy
