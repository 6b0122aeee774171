// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "policy/PolicyDocument.h"
#include "policy/TrustAnchors.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace conclave::policy {

struct VerifiedPolicy {
    PolicyDocument document;
    std::string signerKeyId;
    std::string signerAnchorFile;
    std::string sha256Hex; ///< of the exact policy bytes; recorded with the accepted serial
};

/// The highest policy serial accepted so far, by the key id of the authority that signed it.
using HighestSerials = std::map<std::string, uint64_t>;

/// Accepts a policy only if every check passes, in this order: size; signature well formed;
/// signer is a trust anchor; Ed25519 signature over the exact bytes; content parses; now is
/// inside [not_before, not_after); serial is not below the highest serial seen before from the
/// same signer (serials of different authorities are unrelated numbers).
/// The signature is checked before the content is interpreted.
class PolicyVerifier {
public:
    PolicyVerifier(const TrustAnchors& anchors, const Clock& clock);

    /// Error codes: policy.too_large, policy.signature_malformed, policy.unknown_signer,
    /// policy.signature_invalid, policy.malformed, policy.invalid, policy.not_yet_valid,
    /// policy.unenforceable, policy.expired, policy.rollback.
    Result<VerifiedPolicy> verify(std::string_view policyBytes, std::string_view signatureText,
                                  const HighestSerials& highestSeen) const;

    /// True for errors about the file's content or size (exit code 2): their category is
    /// InvalidInput; the others verify() returns are PolicyRefusal (exit code 3).
    static bool isInputError(const Error& error);

private:
    const TrustAnchors& m_anchors;
    const Clock& m_clock;
};

} // namespace conclave::policy
