// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyLoader.h"

#include "FileAccess.h"
#include "SerialLedger.h"
#include "policy/BuiltinPolicy.h"
#include "policy/PolicyParser.h"
#include "policy/TrustAnchors.h"

#include <QFileInfo>

namespace conclave::app {

Result<policy::VerifiedPolicy>
PolicyLoader::verifyFiles(const QString& policyFile, const QString& anchorsDir,
                          const policy::HighestSerials& highestSeen) const
{
    auto bytes = readFileLimited(policyFile, policy::PolicyParser::kMaxBytes);
    if (!bytes) {
        if (bytes.error().code == "file.too_large")
            return makeError("policy.too_large",
                             bytes.error().message + " (a policy may be at most 1 MiB)",
                             ErrorCategory::InvalidInput);
        return bytes.error().withCategory(ErrorCategory::InvalidInput);
    }
    const QString sigFile = policyFile + QStringLiteral(".sig");
    if (!QFileInfo::exists(sigFile))
        return makeError("policy.unsigned",
                         "the policy " + policyFile.toStdString() + " has no signature file " +
                             sigFile.toStdString() +
                             "; an unsigned policy is never used - have it "
                             "signed with 'conclave-policy sign'",
                         ErrorCategory::PolicyRefusal);
    auto signature = readFileLimited(sigFile, 4096);
    if (!signature)
        return signature.error().withCategory(ErrorCategory::InvalidInput);
    auto anchors = policy::TrustAnchors::loadDirectory(anchorsDir.toStdString());
    if (!anchors) // no usable authority key: nothing can be accepted
        return anchors.error().withCategory(ErrorCategory::PolicyRefusal);
    return policy::PolicyVerifier(*anchors, m_clock).verify(*bytes, *signature, highestSeen);
}

EffectivePolicy PolicyLoader::load(const ConfigLocations& locations,
                                   const policy::HighestSerials& highestSeen) const
{
    if (!QFileInfo::exists(locations.policyFile())) {
        const std::string why = "no signed policy is installed (looked for " +
                                locations.policyFile().toStdString() + ")";
        return {policy::publicBusinessOnlyPolicy(why), std::nullopt,
                Error{"policy.not_installed", why}, locations.notices};
    }
    auto verified = verifyFiles(locations.policyFile(), locations.anchorsDir, highestSeen);
    if (!verified) {
        const std::string why = "the installed policy was refused: " + verified.error().message;
        return {policy::publicBusinessOnlyPolicy(why), std::nullopt,
                Error{verified.error().code, why}, locations.notices};
    }
    policy::PolicyDocument document = verified->document;
    return {std::move(document), std::move(verified).value(), std::nullopt, locations.notices};
}

EffectivePolicy PolicyLoader::loadRecorded(const ConfigLocations& locations,
                                           SerialLedger& ledger) const
{
    const auto builtin = [&](const Error& e, const std::string& what) {
        const std::string why = what + e.message;
        return EffectivePolicy{policy::publicBusinessOnlyPolicy(why), std::nullopt,
                               Error{e.code, why}, locations.notices};
    };
    auto highest = ledger.highestSerials();
    if (!highest)
        return builtin(highest.error(), "the record of accepted policies could not be read: ");
    EffectivePolicy effective = load(locations, *highest);
    if (!effective.verified)
        return effective;
    const policy::VerifiedPolicy& v = *effective.verified;
    if (auto r =
            ledger.recordAccepted(v.signerKeyId, v.document.serial, v.sha256Hex, m_clock.now());
        !r)
        return builtin(r.error(), "the accepted policy could not be recorded: ");
    return effective;
}

} // namespace conclave::app
