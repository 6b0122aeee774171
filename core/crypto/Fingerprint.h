// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <string>

namespace conclave::crypto {

/// Decimal digits derived from a hash, grouped by five ("12345 67890 ..."), so people can
/// compare keys aloud. Each group of five digits comes from 5 hash bytes reduced mod 100000
/// (bias below 1e-6), as Signal's safety numbers do.
std::string groupedDigits(ByteView hash, size_t groups);

/// 30-digit fingerprint of a public key: BLAKE2b-256("conclave fingerprint v1" || key).
std::string publicKeyFingerprint(ByteView publicKey);

/// Short hex key id (first 8 bytes of the same hash), for file names and log lines.
std::string publicKeyId(ByteView publicKey);

} // namespace conclave::crypto
