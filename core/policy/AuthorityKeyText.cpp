// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/AuthorityKeyText.h"

#include "crypto/Fingerprint.h"

#include <sodium.h>

#include <optional>
#include <vector>

namespace conclave::policy::authority_text {
namespace {

constexpr std::string_view kPublicTag = "conclave-ed25519-public";
constexpr std::string_view kSecretTag = "conclave-ed25519-secret";
constexpr std::string_view kSignatureTag = "conclave-policy-signature";

std::string_view trimLine(std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    return text;
}

/// Splits "TAG a b" into its space-separated words; nullopt when the tag differs.
std::optional<std::vector<std::string_view>> words(std::string_view text, std::string_view tag)
{
    text = trimLine(text);
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = text.find(' ', start);
        out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    if (out.empty() || out.front() != tag)
        return std::nullopt;
    out.erase(out.begin());
    return out;
}

} // namespace

std::string encodePublicKey(const crypto::Ed25519PublicKey& key)
{
    return std::string(kPublicTag) + " " + crypto::toBase64(key.view()) + "\n";
}

Result<crypto::Ed25519PublicKey> decodePublicKey(std::string_view text)
{
    const auto w = words(text, kPublicTag);
    if (!w || w->size() != 1)
        return makeError("key.malformed", "not a Conclave public key file (expected one line '" +
                                              std::string(kPublicTag) + " <base64>')");
    const auto raw = crypto::fromBase64((*w)[0]);
    if (!raw)
        return makeError("key.malformed", "the public key is not valid base64");
    return crypto::Ed25519PublicKey::fromBytes(*raw);
}

std::string encodeSecretKey(const crypto::Ed25519SigningKey& key)
{
    return std::string(kSecretTag) + " " + crypto::toBase64(key.secret().view()) + "\n";
}

Result<crypto::Ed25519SigningKey> decodeSecretKey(std::string_view text)
{
    const auto w = words(text, kSecretTag);
    if (!w || w->size() != 1)
        return makeError("key.malformed", "not a Conclave secret key file (expected one line '" +
                                              std::string(kSecretTag) + " <base64>')");
    auto raw = crypto::fromBase64((*w)[0]);
    if (!raw)
        return makeError("key.malformed", "the secret key is not valid base64");
    auto secret = crypto::SecureBuffer::copyOf(*raw);
    sodium_memzero(raw->data(), raw->size());
    return crypto::Ed25519SigningKey::fromSecret(secret.view());
}

std::string encodeSignature(const PolicySignature& signature)
{
    return std::string(kSignatureTag) + " " + signature.keyId + " " +
           crypto::toBase64(signature.signature) + "\n";
}

Result<PolicySignature> decodeSignature(std::string_view text)
{
    const auto w = words(text, kSignatureTag);
    if (!w || w->size() != 2 || (*w)[0].size() != 16 || !crypto::fromHex((*w)[0]))
        return makeError(
            "policy.signature_malformed",
            "the signature file is not a Conclave policy signature (expected one line '" +
                std::string(kSignatureTag) +
                " <key id> <base64>'); sign the policy "
                "with 'conclave-policy sign'");
    auto raw = crypto::fromBase64((*w)[1]);
    if (!raw || raw->size() != crypto::kEd25519SignatureSize)
        return makeError("policy.signature_malformed",
                         "the signature in the signature file is not 64 bytes of base64");
    return PolicySignature{std::string((*w)[0]), std::move(*raw)};
}

PolicySignature signPolicy(const crypto::Ed25519SigningKey& key, std::string_view policyBytes)
{
    return {crypto::publicKeyId(key.publicKey().view()), key.sign(crypto::asBytes(policyBytes))};
}

} // namespace conclave::policy::authority_text
