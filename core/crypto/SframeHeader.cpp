// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeHeader.h"

namespace conclave::crypto {
namespace {

constexpr uint64_t kInlineLimit = 8; // values below this fit in the 3 config bits

size_t minimalLength(uint64_t value)
{
    size_t length = 1;
    while (length < 8 && (value >> (8 * length)) != 0)
        ++length;
    return length;
}

/// Config nibble (flag + 3 bits) for `value`; appends the value's bytes when extended.
uint8_t encodeField(uint64_t value, uint8_t* out, size_t& written)
{
    if (value < kInlineLimit)
        return static_cast<uint8_t>(value);
    const size_t length = minimalLength(value);
    for (size_t i = 0; i < length; ++i)
        out[written++] = static_cast<uint8_t>(value >> (8 * (length - 1 - i)));
    return static_cast<uint8_t>(0x8 | (length - 1));
}

enum class FieldStatus { Ok, Truncated, NonMinimal };

FieldStatus decodeField(uint8_t nibble, ByteView bytes, size_t& offset, uint64_t& value)
{
    if ((nibble & 0x8) == 0) {
        value = nibble & 0x7;
        return FieldStatus::Ok;
    }
    const size_t length = size_t(nibble & 0x7) + 1;
    if (bytes.size() - offset < length)
        return FieldStatus::Truncated;
    value = 0;
    for (size_t i = 0; i < length; ++i)
        value = (value << 8) | bytes[offset + i];
    offset += length;
    // One value, one encoding: otherwise a relay could re-encode a header and still have it
    // accepted, and KID/CTR comparisons on bytes would disagree with comparisons on values.
    if (value < kInlineLimit || minimalLength(value) != length)
        return FieldStatus::NonMinimal;
    return FieldStatus::Ok;
}

Error fieldError(FieldStatus status, const char* field)
{
    if (status == FieldStatus::Truncated)
        return makeError("sframe.header_truncated",
                         std::string("the SFrame header ends inside its ") + field);
    return makeError("sframe.header_non_minimal",
                     std::string("the SFrame header's ") + field +
                         " is not in its shortest encoding, which RFC 9605 headers must use here");
}

} // namespace

size_t SframeHeader::encodeInto(uint64_t kid, uint64_t counter, std::span<uint8_t, kMaxSize> out)
{
    size_t written = 1;
    const uint8_t k = encodeField(kid, out.data(), written);
    const uint8_t c = encodeField(counter, out.data(), written);
    out[0] = static_cast<uint8_t>((k << 4) | c);
    return written;
}

Bytes SframeHeader::encode(uint64_t kid, uint64_t counter)
{
    uint8_t buffer[kMaxSize];
    const size_t size = encodeInto(kid, counter, buffer);
    return Bytes(buffer, buffer + size);
}

size_t SframeHeader::encodedSize(uint64_t kid, uint64_t counter)
{
    const auto field = [](uint64_t v) { return v < kInlineLimit ? 0 : minimalLength(v); };
    return 1 + field(kid) + field(counter);
}

Result<SframeHeader> SframeHeader::decode(ByteView bytes)
{
    if (bytes.empty())
        return makeError("sframe.header_truncated", "the SFrame header is missing");
    SframeHeader header;
    size_t offset = 1;
    FieldStatus status = decodeField(bytes[0] >> 4, bytes, offset, header.kid);
    if (status != FieldStatus::Ok)
        return fieldError(status, "key id");
    status = decodeField(bytes[0] & 0x0f, bytes, offset, header.counter);
    if (status != FieldStatus::Ok)
        return fieldError(status, "counter");
    header.size = offset;
    return header;
}

} // namespace conclave::crypto
