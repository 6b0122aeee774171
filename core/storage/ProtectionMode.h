// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string_view>

namespace conclave::storage {

/// How the identity secret's wrapping key is kept. Recorded beside the sealed secret, so the
/// identity is always unlocked the same way it was locked. Preference when creating an
/// identity: Keyring, else Passphrase, else KeyFile (headless machines and tests).
enum class ProtectionMode { Keyring, Passphrase, KeyFile };

/// The stored names: "keyring", "passphrase", "keyfile".
std::string_view toString(ProtectionMode mode);
std::optional<ProtectionMode> protectionModeFromString(std::string_view text);
/// For messages: "the system keyring", "a passphrase", "a key file".
std::string_view describe(ProtectionMode mode);

} // namespace conclave::storage
