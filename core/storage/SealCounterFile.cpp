// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/SealCounterFile.h"

#include "common/AtomicFile.h"
#include "storage/SealRecordText.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace conclave::storage {

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
    std::string text(SealRecordText::kMaxSize + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    auto record = SealRecordText::decode(text, deviceKey, m_path);
    if (!record)
        return record.error();
    return std::optional<SealRecord>{std::move(record).value()};
}

Result<void> SealCounterFile::store(const SealRecord& record,
                                    const crypto::Ed25519SigningKey& deviceKey)
{
    auto written = AtomicFile::write(m_path, SealRecordText::encode(record, deviceKey), 0600);
    if (!written)
        return makeError("storage.seal_record_unwritable",
                         "Conclave could not update the record of the last audit seal: " +
                             written.error().message);
    return {};
}

} // namespace conclave::storage
