// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

/// Big-endian building blocks of the key-schedule encodings (docs/e2ee.md §3). Writing never
/// fails; reading is bounds-checked and reports truncation as nullopt, so decoders can stay
/// strict without any arithmetic on untrusted lengths of their own.
namespace conclave::crypto::schedule_wire {

void putU8(Bytes& out, uint8_t value);
void putU16(Bytes& out, uint16_t value);
void putU32(Bytes& out, uint32_t value);
void putU64(Bytes& out, uint64_t value);
void putBytes(Bytes& out, ByteView bytes);
void putLabel(Bytes& out, std::string_view label);

class Reader {
public:
    explicit Reader(ByteView data) : m_data(data) {}

    std::optional<uint8_t> u8();
    std::optional<uint16_t> u16();
    std::optional<uint32_t> u32();
    std::optional<uint64_t> u64();
    /// The next `size` bytes, or nullopt (and nothing consumed) when fewer remain.
    std::optional<ByteView> bytes(size_t size);

    size_t remaining() const { return m_data.size() - m_offset; }
    size_t offset() const { return m_offset; }
    bool atEnd() const { return remaining() == 0; }

private:
    std::optional<uint64_t> unsignedBigEndian(size_t size);

    ByteView m_data;
    size_t m_offset = 0;
};

} // namespace conclave::crypto::schedule_wire
