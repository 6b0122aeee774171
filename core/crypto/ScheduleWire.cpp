// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ScheduleWire.h"

namespace conclave::crypto::schedule_wire {
namespace {

void putBigEndian(Bytes& out, uint64_t value, size_t size)
{
    for (size_t i = size; i > 0; --i)
        out.push_back(static_cast<uint8_t>(value >> (8 * (i - 1))));
}

} // namespace

void putU8(Bytes& out, uint8_t value)
{
    out.push_back(value);
}

void putU16(Bytes& out, uint16_t value)
{
    putBigEndian(out, value, 2);
}

void putU32(Bytes& out, uint32_t value)
{
    putBigEndian(out, value, 4);
}

void putU64(Bytes& out, uint64_t value)
{
    putBigEndian(out, value, 8);
}

void putBytes(Bytes& out, ByteView bytes)
{
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void putLabel(Bytes& out, std::string_view label)
{
    putBytes(out, asBytes(label));
}

std::optional<uint64_t> Reader::unsignedBigEndian(size_t size)
{
    if (remaining() < size)
        return std::nullopt;
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i)
        value = (value << 8) | m_data[m_offset + i];
    m_offset += size;
    return value;
}

std::optional<uint8_t> Reader::u8()
{
    const auto v = unsignedBigEndian(1);
    return v ? std::optional<uint8_t>(static_cast<uint8_t>(*v)) : std::nullopt;
}

std::optional<uint16_t> Reader::u16()
{
    const auto v = unsignedBigEndian(2);
    return v ? std::optional<uint16_t>(static_cast<uint16_t>(*v)) : std::nullopt;
}

std::optional<uint32_t> Reader::u32()
{
    const auto v = unsignedBigEndian(4);
    return v ? std::optional<uint32_t>(static_cast<uint32_t>(*v)) : std::nullopt;
}

std::optional<uint64_t> Reader::u64()
{
    return unsignedBigEndian(8);
}

std::optional<ByteView> Reader::bytes(size_t size)
{
    if (remaining() < size)
        return std::nullopt;
    const ByteView out = m_data.subspan(m_offset, size);
    m_offset += size;
    return out;
}

} // namespace conclave::crypto::schedule_wire
