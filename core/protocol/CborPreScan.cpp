// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/CborPreScan.h"

#include <cstdint>
#include <vector>

namespace conclave::protocol {
namespace {

enum Major : uint8_t {
    kUnsigned = 0,
    kNegative = 1,
    kBytes = 2,
    kText = 3,
    kArray = 4,
    kMap = 5,
    kTag = 6,
    kSimple = 7
};

} // namespace

Result<void> preScanCbor(const QByteArray& bytes, const std::string& what, CborBounds bounds)
{
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.constData());
    const uint64_t n = uint64_t(bytes.size());
    uint64_t pos = 0;
    uint64_t items = 0;
    const auto truncated = [&] {
        return makeError("protocol.malformed",
                         what + " is not valid CBOR: it ends in the middle of an item");
    };
    const auto tooComplex = [&](const std::string& why) {
        return makeError("protocol.too_complex",
                         what + " " + why +
                             "; no Conclave message is built like that, so it "
                             "was refused without being decoded");
    };
    // Items still expected in each open container; the first entry stands for the one
    // top-level item.
    std::vector<uint64_t> pending{1};
    pending.reserve(size_t(bounds.maxDepth) + 2);
    while (!pending.empty()) {
        if (pending.back() == 0) {
            pending.pop_back();
            continue;
        }
        --pending.back();
        if (pos >= n)
            return truncated();
        if (++items > uint64_t(bounds.maxItems))
            return tooComplex("has more than " + std::to_string(bounds.maxItems) + " items");
        const uint8_t head = p[pos++];
        const uint8_t major = head >> 5;
        const uint8_t info = head & 0x1f;
        uint64_t arg = info;
        if (info == 31)
            return makeError("protocol.non_canonical",
                             what + " uses an indefinite length, which Conclave never writes");
        if (info > 27)
            return makeError("protocol.malformed",
                             what + " is not valid CBOR: it uses a reserved item head");
        if (info >= 24) {
            const uint64_t size = uint64_t{1} << (info - 24);
            if (n - pos < size)
                return truncated();
            arg = 0;
            for (uint64_t i = 0; i < size; ++i)
                arg = (arg << 8) | p[pos++];
        }
        switch (major) {
        case kBytes:
        case kText:
            if (arg > n - pos)
                return truncated();
            pos += arg;
            break;
        case kArray:
        case kMap:
        case kTag: {
            // Every item takes at least one byte, so a count larger than what is left is a lie.
            if (arg > n - pos)
                return truncated();
            const uint64_t count = major == kMap ? 2 * arg : major == kTag ? 1 : arg;
            if (count > n - pos)
                return truncated();
            if (items + count > uint64_t(bounds.maxItems))
                return tooComplex("has more than " + std::to_string(bounds.maxItems) + " items");
            if (qsizetype(pending.size()) > bounds.maxDepth)
                return tooComplex("nests deeper than " + std::to_string(bounds.maxDepth) +
                                  " levels");
            pending.push_back(count);
            break;
        }
        case kUnsigned:
        case kNegative:
        case kSimple:
        default:
            break;
        }
    }
    return {};
}

} // namespace conclave::protocol
