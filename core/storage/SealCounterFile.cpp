// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/SealCounterFile.h"

#include "common/AtomicFile.h"
#include "storage/AuditChain.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace conclave::storage {
namespace {

constexpr std::string_view kHeader = "conclave-seal-record-v1";
constexpr size_t kMaxFileSize = 1024;

Error damaged(const std::string& path, const std::string& what)
{
    return makeError("storage.seal_record_damaged",
                     "The record of the last audit seal, " + path + ", " + what +
                         ". It cannot vouch that the audit log is complete. It was left as it "
                         "was; restore it from the backup made with the database.");
}

} // namespace

SealCounterFile::SealCounterFile(std::string path) : m_path(std::move(path)) {}

std::string SealCounterFile::defaultPathFor(const std::string& databasePath)
{
    return databasePath + ".seal";
}

std::string SealCounterFile::location() const
{
    return "the file " + m_path;
}

Result<std::optional<SealRecord>> SealCounterFile::read(const crypto::Ed25519PublicKey& deviceKey)
{
    std::ifstream in(m_path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT)
            return std::optional<SealRecord>{};
        return makeError("storage.seal_record_unreadable",
                         "Conclave could not read the record of the last audit seal, " + m_path +
                             " (" + std::strerror(errno) +
                             "). Check that it belongs to the user running Conclave.");
    }
    std::string text(kMaxFileSize + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileSize)
        return damaged(m_path, "is too large to be a seal record");

    std::istringstream lines(text);
    std::string header, hashHex, signatureHex, rest;
    int64_t sealId = 0, entryId = 0;
    if (!std::getline(lines, header) || header != kHeader)
        return damaged(m_path, "does not start with \"" + std::string(kHeader) + "\"");
    if (!(lines >> sealId >> entryId >> hashHex >> signatureHex) || (lines >> rest) || sealId < 1 ||
        entryId < 1)
        return damaged(m_path, "is not in the expected format");
    const auto hash = crypto::fromHex(hashHex);
    const auto signature = crypto::fromHex(signatureHex);
    if (!hash || hash->size() != auditchain::kHashSize || !signature)
        return damaged(m_path, "holds a malformed hash or signature");
    if (!crypto::verifyEd25519(deviceKey, auditchain::sealRecordMessage(sealId, entryId, *hash),
                               *signature))
        return damaged(m_path, "is not signed by this device's identity key (it was altered or "
                               "belongs to another database)");
    return std::optional<SealRecord>{SealRecord{sealId, entryId, *hash}};
}

Result<void> SealCounterFile::advance(const SealRecord& record,
                                      const crypto::Ed25519SigningKey& deviceKey)
{
    // Never backwards: two programs sealing one database may finish in either order.
    // A damaged record stays as it is: it is evidence, and audit verify reports it.
    auto stored = read(deviceKey.publicKey());
    if (!stored)
        return stored.error();
    if (*stored && (*stored)->sealId >= record.sealId)
        return {};
    const crypto::Bytes signature = deviceKey.sign(
        auditchain::sealRecordMessage(record.sealId, record.entryId, record.entryHash));
    const std::string text = std::string(kHeader) + "\n" + std::to_string(record.sealId) + " " +
                             std::to_string(record.entryId) + " " +
                             crypto::toHex(record.entryHash) + " " + crypto::toHex(signature) +
                             "\n";
    auto written = AtomicFile::write(m_path, text, 0600);
    if (!written)
        return makeError("storage.seal_record_unwritable",
                         "Conclave could not update the record of the last audit seal: " +
                             written.error().message);
    return {};
}

} // namespace conclave::storage
