// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/SealCounter.h"

#include <chrono>
#include <string>

namespace conclave::storage {

/// The seal record in the desktop's secret service (GNOME Keyring, KWallet) through QtKeychain,
/// entry "audit-seal-record-<key id>" beside the identity's wrapping key: for identities the
/// keyring protects, it keeps the record off the disk that holds the database, so restoring an
/// older copy of the data folder does not bring an older record with it. Same signed text as
/// SealCounterFile. Needs a QCoreApplication; only built with QtKeychain.
///
/// An unreachable keyring is "storage.seal_record_unavailable": the log cannot be checked then,
/// which is not the same as a log found cut back.
class KeyringSealCounter final : public SealCounter {
public:
    KeyringSealCounter(const crypto::Ed25519PublicKey& identity, std::string service = "Conclave",
                       std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});

    static std::string entryName(const crypto::Ed25519PublicKey& identity);

    Result<std::optional<SealRecord>> read(const crypto::Ed25519PublicKey& deviceKey) override;
    Result<void> advance(const SealRecord& record,
                         const crypto::Ed25519SigningKey& deviceKey) override;
    std::string location() const override;
    /// Deletes the entry (tests, and removing an identity for good).
    Result<void> forget();

private:
    std::string m_entry;
    std::string m_service;
    std::chrono::milliseconds m_timeout;
};

} // namespace conclave::storage
