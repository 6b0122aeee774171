// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/SealCounter.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace conclave::storage {

/// The seal record in the desktop's secret service (GNOME Keyring, KWallet) through QtKeychain,
/// entry "audit-seal-record-<key id>" beside the identity's wrapping key: for identities the
/// keyring protects, it keeps the record off the disk that holds the database, so restoring an
/// older copy of the data folder does not bring an older record with it. Same signed text as
/// SealCounterFile. Needs a QCoreApplication; only built with QtKeychain.
///
/// The keyring is read once (the first read(); the programs do it at start-up, where waiting
/// for the keyring is expected) and then served from memory. Seals during a meeting write in
/// the background, so no event loop is spun inside a meeting's message handling; the
/// destructor waits (up to the timeout) for writes still under way, so the seal made on exit
/// reaches the keyring.
///
/// An unreachable keyring is "storage.seal_record_unavailable": the log cannot be checked then,
/// which is not the same as a log found cut back.
class KeyringSealCounter final : public SealCounter {
public:
    KeyringSealCounter(const crypto::Ed25519PublicKey& identity, std::string service = "Conclave",
                       std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});
    ~KeyringSealCounter() override;
    KeyringSealCounter(const KeyringSealCounter&) = delete;
    KeyringSealCounter& operator=(const KeyringSealCounter&) = delete;

    static std::string entryName(const crypto::Ed25519PublicKey& identity);

    Result<std::optional<SealRecord>> read(const crypto::Ed25519PublicKey& deviceKey) override;
    std::string location() const override;
    /// Waits for background writes to finish (at most the timeout each).
    void flush();
    /// Deletes the entry (tests, and removing an identity for good).
    Result<void> forget();

protected:
    Result<void> store(const SealRecord& record,
                       const crypto::Ed25519SigningKey& deviceKey) override;

private:
    struct Pending;

    Result<void> load();

    std::string m_entry;
    std::string m_service;
    std::chrono::milliseconds m_timeout;
    bool m_loaded = false;
    std::optional<Error> m_loadError;
    std::optional<std::string> m_text; // the record as last read or written
    std::vector<std::shared_ptr<Pending>> m_pending;
};

} // namespace conclave::storage
