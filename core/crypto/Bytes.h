// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::crypto {

/// Non-secret bytes (public keys, signatures, hashes, ciphertext). Secrets use SecureBuffer.
using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView asBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string toHex(ByteView data);
std::optional<Bytes> fromHex(std::string_view hex);
/// Standard base64 with padding (RFC 4648 §4), as written in key, signature and policy files.
std::string toBase64(ByteView data);
std::optional<Bytes> fromBase64(std::string_view text);

/// Constant-time comparison; false when the sizes differ.
bool equalConstantTime(ByteView a, ByteView b);

} // namespace conclave::crypto
