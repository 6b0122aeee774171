// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <cstdint>
#include <string_view>

// The audit log's byte formats, shared by the writer and the verifier (docs/storage.md).
namespace conclave::storage::auditchain {

inline constexpr size_t kHashSize = 32;
/// A seal is written once this many entries follow the previous seal; the verifier relies on
/// it to notice removed seals, so changing it changes the format.
inline constexpr int64_t kSealInterval = 32;

/// prev_hash of entry 1: 32 zero bytes.
crypto::Bytes genesisHash();

/// BLAKE2b-256 over the length-prefixed fields prev_hash, id (8 bytes big-endian), at,
/// category, marking, detail.
crypto::Bytes entryHash(crypto::ByteView prevHash, int64_t id, std::string_view at,
                        std::string_view category, std::string_view marking,
                        std::string_view detail);

/// What a seal signs: "conclave-audit-seal-v1" NUL, entry id (8 bytes big-endian), entry hash.
/// The prefix keeps a seal signature from being mistaken for any other message the device key
/// signs.
crypto::Bytes sealMessage(int64_t entryId, crypto::ByteView entryHash);
/// The same for a seal whose id was also recorded outside the database (SealCounter):
/// "conclave-audit-seal-v2" NUL ... A v2 seal in the log proves that such a record was kept, so
/// a missing record is then a removal, not an older database.
crypto::Bytes recordedSealMessage(int64_t entryId, crypto::ByteView entryHash);
/// What the record kept outside the database signs: "conclave-audit-seal-record-v1" NUL, seal
/// id, entry id (8 bytes big-endian each), entry hash.
crypto::Bytes sealRecordMessage(int64_t sealId, int64_t entryId, crypto::ByteView entryHash);

/// Category of the entry written when appending resumes after failures (docs/storage.md).
inline constexpr std::string_view kGapCategory = "audit.gap";

} // namespace conclave::storage::auditchain
