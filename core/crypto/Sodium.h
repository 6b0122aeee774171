// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace conclave::crypto {

/// Initialises libsodium once (thread-safe, idempotent). Every crypto entry point calls it,
/// so callers never have to remember; if libsodium cannot start, continuing would be unsafe
/// and the process aborts.
void ensureSodium();

} // namespace conclave::crypto
