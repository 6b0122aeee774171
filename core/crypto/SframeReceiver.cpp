// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeReceiver.h"

#include "crypto/SframeHeader.h"

#include <cstring>

namespace conclave::crypto {
namespace {

constexpr size_t kMaxAad = SframeHeader::kMaxSize + ClearPrefix::kMaxLength;
// A sender refuses counters from 2^48 on, so a larger one is not from a Conclave sender.
constexpr uint64_t kCounterLimit = uint64_t(1) << 48;

/// memcpy that accepts an empty source (whose data() may be null).
void copyBytes(uint8_t* to, ByteView from)
{
    if (!from.empty())
        std::memcpy(to, from.data(), from.size());
}

} // namespace

Result<void> SframeReceiver::addKey(uint64_t kid, CipherSuite suite, ByteView baseKey)
{
    auto aead = SframeAead::create(suite, kid, baseKey);
    if (!aead)
        return aead.error();
    if (auto it = m_streams.find(kid); it != m_streams.end() && it->second.aead.sameKeyAs(*aead))
        return {}; // window and any scheduled removal stay as they are
    if (m_retired.count(aead->fingerprint()) != 0)
        return makeError("sframe.key_retired",
                         "this media key belongs to an epoch that has ended and was wiped; "
                         "frames are only accepted under the current epoch's keys");
    m_streams.insert_or_assign(kid, Stream{std::move(*aead), {}, std::nullopt});
    return {};
}

void SframeReceiver::removeKey(uint64_t kid)
{
    m_streams.erase(kid);
}

void SframeReceiver::scheduleRemoval(uint64_t kid, TimePoint at)
{
    auto it = m_streams.find(kid);
    if (it == m_streams.end())
        return;
    if (!it->second.removeAt || at < *it->second.removeAt)
        it->second.removeAt = at;
    m_retired.insert(it->second.aead.fingerprint());
}

void SframeReceiver::prune(TimePoint now)
{
    std::erase_if(m_streams, [now](const auto& entry) {
        return entry.second.removeAt && *entry.second.removeAt <= now;
    });
}

bool SframeReceiver::hasKey(uint64_t kid) const
{
    return m_streams.count(kid) != 0;
}

size_t SframeReceiver::maxFrameSize(size_t wireSize)
{
    const size_t overhead = 1 + SframeAead::kTagSize;
    return wireSize > overhead ? wireSize - overhead : 0;
}

Result<Bytes> SframeReceiver::unprotect(MediaCodec codec, ByteView wire)
{
    Bytes out(maxFrameSize(wire.size()));
    auto size = unprotectInto(codec, wire, out);
    if (!size)
        return size.error();
    out.resize(*size);
    return out;
}

Result<size_t> SframeReceiver::unprotectInto(MediaCodec codec, ByteView wire,
                                             std::span<uint8_t> out)
{
    // The prefix is read from the wire: it is first there, and authenticated, so a changed
    // frame tag moves the header and fails the tag rather than being believed.
    const auto prefix = ClearPrefix::length(codec, wire);
    if (!prefix)
        return malformed(prefix.error());
    if (out.size() < *prefix)
        return malformed(makeError("sframe.buffer_too_small", "the output buffer is too small"));
    auto opened = open(wire.first(*prefix), wire.subspan(*prefix), out.subspan(*prefix));
    if (!opened)
        return opened.error();
    copyBytes(out.data(), wire.first(*prefix));
    return *prefix + *opened;
}

Result<Bytes> SframeReceiver::unprotectWithMetadata(ByteView metadata, ByteView protectedData)
{
    Bytes out(maxFrameSize(protectedData.size()));
    auto size = open(metadata, protectedData, out);
    if (!size)
        return size.error();
    out.resize(*size);
    return out;
}

Result<size_t> SframeReceiver::open(ByteView metadata, ByteView protectedData,
                                    std::span<uint8_t> out)
{
    const auto header = SframeHeader::decode(protectedData);
    if (!header)
        return malformed(header.error());
    if (header->counter >= kCounterLimit)
        return malformed(makeError("sframe.counter_too_large",
                                   "the SFrame counter is beyond what a Conclave sender uses"));
    const ByteView ciphertext = protectedData.subspan(header->size);
    if (ciphertext.size() <= SframeAead::kTagSize)
        return malformed(makeError("sframe.frame_too_short",
                                   "the protected frame is too short to hold any media"));
    const size_t plainSize = ciphertext.size() - SframeAead::kTagSize;
    if (out.size() < plainSize)
        return malformed(makeError("sframe.buffer_too_small", "the output buffer is too small"));

    const auto it = m_streams.find(header->kid);
    if (it == m_streams.end()) {
        ++m_stats.unknownKid;
        return makeError("sframe.unknown_kid",
                         "a frame came under a key this device does not hold (another epoch, or "
                         "a sender it does not know)");
    }
    Stream& stream = it->second;
    switch (stream.window.check(header->counter)) {
    case ReplayWindow::Verdict::Fresh:
        break;
    case ReplayWindow::Verdict::Replayed:
        ++m_stats.replay;
        return makeError("sframe.replay", "a frame arrived a second time and was dropped");
    case ReplayWindow::Verdict::TooOld:
        ++m_stats.replay;
        return makeError("sframe.too_old",
                         "a frame arrived too late (older than the replay window) and was "
                         "dropped");
    }

    // AAD = header ‖ metadata. Codec prefixes fit the stack buffer; only the generic
    // metadata form can need the heap.
    const size_t aadSize = header->size + metadata.size();
    uint8_t stackAad[kMaxAad];
    Bytes heapAad;
    uint8_t* aad = stackAad;
    if (aadSize > kMaxAad) {
        heapAad.resize(aadSize);
        aad = heapAad.data();
    }
    copyBytes(aad, protectedData.first(header->size));
    copyBytes(aad + header->size, metadata);
    if (!stream.aead.open(header->counter, ByteView(aad, aadSize), ciphertext,
                          out.first(plainSize))) {
        ++m_stats.authFailed;
        return makeError("sframe.auth_failed",
                         "a frame failed authentication (wrong key or changed in transit) and was "
                         "dropped");
    }
    stream.window.commit(header->counter);
    ++m_stats.accepted;
    return plainSize;
}

Error SframeReceiver::malformed(Error error)
{
    ++m_stats.malformed;
    return error;
}

} // namespace conclave::crypto
