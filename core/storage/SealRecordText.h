// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/SealRecord.h"

#include <string>
#include <string_view>

namespace conclave::storage {

/// The signed text form of a SealRecord, the same wherever it is kept (file or keyring):
///   conclave-seal-record-v1
///   <seal id> <entry id> <entry hash hex> <Ed25519 signature hex over sealRecordMessage>
class SealRecordText {
public:
    static constexpr size_t kMaxSize = 1024;

    static std::string encode(const SealRecord& record, const crypto::Ed25519SigningKey& key);
    /// Checks the format and the signature; `where` names the record in the error
    /// ("storage.seal_record_damaged").
    static Result<SealRecord> decode(std::string_view text, const crypto::Ed25519PublicKey& key,
                                     const std::string& where);
};

} // namespace conclave::storage
