// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/PolicyVerifier.h"

#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "policy/AuthorityKeyText.h"
#include "policy/PolicyParser.h"

#include <sodium.h>

namespace conclave::policy {

PolicyVerifier::PolicyVerifier(const TrustAnchors& anchors, const Clock& clock)
    : m_anchors(anchors), m_clock(clock)
{
}

bool PolicyVerifier::isInputError(const Error& error)
{
    return error.isInvalidInput();
}

Result<VerifiedPolicy> PolicyVerifier::verify(std::string_view policyBytes,
                                              std::string_view signatureText,
                                              const HighestSerials& highestSeen) const
{
    if (policyBytes.size() > PolicyParser::kMaxBytes)
        return makeError("policy.too_large",
                         "the policy file is " + std::to_string(policyBytes.size()) +
                             " bytes; the limit is 1 MiB (1048576 bytes)",
                         ErrorCategory::InvalidInput);
    auto signature = authority_text::decodeSignature(signatureText);
    if (!signature) // the signature file, not the policy: no authority vouches for it
        return signature.error().withCategory(ErrorCategory::PolicyRefusal);
    const TrustAnchor* anchor = m_anchors.findByKeyId(signature->keyId);
    if (!anchor)
        return makeError(
            "policy.unknown_signer",
            "the policy is signed by key " + signature->keyId +
                ", which is not a trust anchor in " +
                (m_anchors.directory().empty() ? "the anchor list" : m_anchors.directory()) + " (" +
                std::to_string(m_anchors.all().size()) +
                " anchors); only a policy signed by your security authority is accepted",
            ErrorCategory::PolicyRefusal);
    if (!crypto::verifyEd25519(anchor->key, crypto::asBytes(policyBytes), signature->signature))
        return makeError("policy.signature_invalid",
                         "the policy's signature does not match its content: the file was changed "
                         "after it was signed by " +
                             anchor->keyId + "; obtain the original from your security authority",
                         ErrorCategory::PolicyRefusal);

    auto parsed = PolicyParser::parse(policyBytes);
    if (!parsed)
        return parsed.error();
    PolicyDocument& doc = parsed.value();

    const TimePoint now = m_clock.now();
    if (now < doc.notBefore)
        return makeError("policy.not_yet_valid",
                         "policy serial " + std::to_string(doc.serial) + " is not valid until " +
                             formatUtcTimestamp(doc.notBefore) +
                             "; check this computer's clock or wait",
                         ErrorCategory::PolicyRefusal);
    if (now >= doc.notAfter)
        return makeError("policy.expired",
                         "policy serial " + std::to_string(doc.serial) + " expired at " +
                             formatUtcTimestamp(doc.notAfter) +
                             "; ask your security authority for a current one",
                         ErrorCategory::PolicyRefusal);
    const auto seen = highestSeen.find(anchor->keyId);
    if (seen != highestSeen.end() && doc.serial < seen->second)
        return makeError("policy.rollback",
                         "policy serial " + std::to_string(doc.serial) + " is older than serial " +
                             std::to_string(seen->second) + " from the same authority (" +
                             anchor->keyId +
                             "), already accepted on this computer; an old policy cannot be "
                             "reinstated (rollback protection) - install the current one",
                         ErrorCategory::PolicyRefusal);

    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(policyBytes.data()),
                       policyBytes.size());
    return VerifiedPolicy{std::move(doc), anchor->keyId, anchor->file, crypto::toHex(digest)};
}

} // namespace conclave::policy
