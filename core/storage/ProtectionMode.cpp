// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/ProtectionMode.h"

namespace conclave::storage {

std::string_view toString(ProtectionMode mode)
{
    switch (mode) {
    case ProtectionMode::Keyring:
        return "keyring";
    case ProtectionMode::Passphrase:
        return "passphrase";
    case ProtectionMode::KeyFile:
        return "keyfile";
    }
    return "unknown";
}

std::optional<ProtectionMode> protectionModeFromString(std::string_view text)
{
    for (auto mode : {ProtectionMode::Keyring, ProtectionMode::Passphrase, ProtectionMode::KeyFile})
        if (toString(mode) == text)
            return mode;
    return std::nullopt;
}

std::string_view describe(ProtectionMode mode)
{
    switch (mode) {
    case ProtectionMode::Keyring:
        return "the system keyring";
    case ProtectionMode::Passphrase:
        return "a passphrase";
    case ProtectionMode::KeyFile:
        return "a key file";
    }
    return "an unknown method";
}

} // namespace conclave::storage
