// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"

#include <string>
#include <string_view>

namespace conclave::policy {

/// Text forms of a security authority's keys and policy signatures, one line each, so they
/// can be mailed, diffed and inspected:
///   PREFIX.pub        conclave-ed25519-public <base64 32 bytes>
///   PREFIX.key        conclave-ed25519-secret <base64 64 bytes>
///   policy.json.sig   conclave-policy-signature <key id, 16 hex> <base64 64 bytes>
/// The signature covers the exact bytes of policy.json; nothing is canonicalised.
struct PolicySignature {
    std::string keyId;
    crypto::Bytes signature;
};

namespace authority_text {

std::string encodePublicKey(const crypto::Ed25519PublicKey& key);
Result<crypto::Ed25519PublicKey> decodePublicKey(std::string_view text);

std::string encodeSecretKey(const crypto::Ed25519SigningKey& key);
Result<crypto::Ed25519SigningKey> decodeSecretKey(std::string_view text);

std::string encodeSignature(const PolicySignature& signature);
Result<PolicySignature> decodeSignature(std::string_view text);

PolicySignature signPolicy(const crypto::Ed25519SigningKey& key, std::string_view policyBytes);

} // namespace authority_text
} // namespace conclave::policy
