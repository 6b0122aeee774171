// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <cstddef>

namespace conclave::crypto {

enum class HashAlgorithm { Sha256, Sha512 };

size_t hashLength(HashAlgorithm hash);

/// HKDF (RFC 5869) on libsodium's HMAC-SHA-256/512; libsodium 1.0.18 has no HKDF of its own.
/// Outputs are secrets, so they come back in SecureBuffers.
namespace hkdf {

/// PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes, as the RFC says.
SecureBuffer extract(HashAlgorithm hash, ByteView salt, ByteView ikm);

/// OKM of `length` bytes; refuses length > 255 * HashLen and a PRK shorter than HashLen.
Result<SecureBuffer> expand(HashAlgorithm hash, ByteView prk, ByteView info, size_t length);

} // namespace hkdf
} // namespace conclave::crypto
