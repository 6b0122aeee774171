// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/SealCounter.h"

#include <string>

namespace conclave::storage {

/// The seal record in a small signed file beside the database (DIR/conclave.db.seal, 0600, in
/// SealRecordText form), replaced atomically at each seal. Used where the identity is not
/// protected by the OS keyring (KeyringSealCounter).
class SealCounterFile final : public SealCounter {
public:
    explicit SealCounterFile(std::string path);
    static std::string defaultPathFor(const std::string& databasePath);

    Result<std::optional<SealRecord>> read(const crypto::Ed25519PublicKey& deviceKey) override;
    std::string location() const override;

protected:
    Result<void> store(const SealRecord& record,
                       const crypto::Ed25519SigningKey& deviceKey) override;

private:
    std::string m_path;
};

} // namespace conclave::storage
