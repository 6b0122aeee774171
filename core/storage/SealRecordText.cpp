// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/SealRecordText.h"

#include "storage/AuditChain.h"

#include <sstream>

namespace conclave::storage {
namespace {

constexpr std::string_view kHeader = "conclave-seal-record-v1";

Error damaged(const std::string& where, const std::string& what)
{
    return makeError("storage.seal_record_damaged",
                     "The record of the last audit seal, " + where + ", " + what +
                         ". It cannot vouch that the audit log is complete. It was left as it "
                         "was; restore it from the backup made with the database.");
}

} // namespace

std::string SealRecordText::encode(const SealRecord& record, const crypto::Ed25519SigningKey& key)
{
    const crypto::Bytes signature =
        key.sign(auditchain::sealRecordMessage(record.sealId, record.entryId, record.entryHash));
    return std::string(kHeader) + "\n" + std::to_string(record.sealId) + " " +
           std::to_string(record.entryId) + " " + crypto::toHex(record.entryHash) + " " +
           crypto::toHex(signature) + "\n";
}

Result<SealRecord> SealRecordText::decode(std::string_view text,
                                          const crypto::Ed25519PublicKey& key,
                                          const std::string& where)
{
    if (text.size() > kMaxSize)
        return damaged(where, "is too large to be a seal record");
    std::istringstream lines{std::string(text)};
    std::string header, hashHex, signatureHex, rest;
    int64_t sealId = 0, entryId = 0;
    if (!std::getline(lines, header) || header != kHeader)
        return damaged(where, "does not start with \"" + std::string(kHeader) + "\"");
    if (!(lines >> sealId >> entryId >> hashHex >> signatureHex) || (lines >> rest) || sealId < 1 ||
        entryId < 1)
        return damaged(where, "is not in the expected format");
    const auto hash = crypto::fromHex(hashHex);
    const auto signature = crypto::fromHex(signatureHex);
    if (!hash || hash->size() != auditchain::kHashSize || !signature)
        return damaged(where, "holds a malformed hash or signature");
    if (!crypto::verifyEd25519(key, auditchain::sealRecordMessage(sealId, entryId, *hash),
                               *signature))
        return damaged(where, "is not signed by this device's identity key (it was altered or "
                              "belongs to another database)");
    return SealRecord{sealId, entryId, *hash};
}

} // namespace conclave::storage
