// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeSender.h"

#include "crypto/SframeHeader.h"

#include <algorithm>
#include <cstring>

namespace conclave::crypto {
namespace {

constexpr size_t kMaxAad = SframeHeader::kMaxSize + ClearPrefix::kMaxLength;

} // namespace

SframeSender::SframeSender(uint64_t counterLimit)
    : m_counterLimit(std::min(counterLimit, kCounterLimit))
{
}

Result<void> SframeSender::setKey(uint64_t kid, CipherSuite suite, ByteView baseKey)
{
    auto aead = SframeAead::create(suite, kid, baseKey);
    if (!aead)
        return aead.error();
    if (auto it = m_streams.find(kid); it != m_streams.end() && it->second.aead.sameKeyAs(*aead))
        return {};
    Bytes fingerprint = aead->fingerprint();
    if (m_usedKeys.count(fingerprint) != 0)
        return makeError("sframe.key_reused",
                         "this SFrame key was used before by this sender; using it again would "
                         "repeat nonces, so a new epoch key is needed");
    m_usedKeys.insert(std::move(fingerprint));
    m_streams.insert_or_assign(kid, Stream{std::move(*aead), 0});
    return {};
}

void SframeSender::removeKey(uint64_t kid)
{
    m_streams.erase(kid);
}

bool SframeSender::hasKey(uint64_t kid) const
{
    return m_streams.count(kid) != 0;
}

std::optional<uint64_t> SframeSender::nextCounter(uint64_t kid) const
{
    const auto it = m_streams.find(kid);
    if (it == m_streams.end())
        return std::nullopt;
    return it->second.nextCounter;
}

Result<Bytes> SframeSender::protect(uint64_t kid, MediaCodec codec, ByteView frame)
{
    Bytes out(maxProtectedSize(frame.size()));
    auto size = protectInto(kid, codec, frame, out);
    if (!size)
        return size.error();
    out.resize(*size);
    return out;
}

Result<size_t> SframeSender::protectInto(uint64_t kid, MediaCodec codec, ByteView frame,
                                         std::span<uint8_t> out)
{
    const auto prefix = ClearPrefix::length(codec, frame);
    if (!prefix)
        return prefix.error();
    const auto it = m_streams.find(kid);
    if (it == m_streams.end())
        return makeError("sframe.unknown_kid", "there is no SFrame key for this stream yet");
    Stream& stream = it->second;
    if (stream.nextCounter >= m_counterLimit)
        return makeError("sframe.counter_exhausted",
                         "this stream's SFrame counter is used up; it needs a new epoch key");
    if (out.size() < maxProtectedSize(frame.size()))
        return makeError("sframe.buffer_too_small", "the output buffer is too small");

    const uint64_t counter = stream.nextCounter++;
    uint8_t aad[kMaxAad];
    const size_t headerSize = SframeHeader::encodeInto(
        kid, counter, std::span<uint8_t, SframeHeader::kMaxSize>(aad, SframeHeader::kMaxSize));
    std::memcpy(aad + headerSize, frame.data(), *prefix);
    const size_t aadSize = headerSize + *prefix;

    // Wire order is prefix ‖ header ‖ ciphertext, AAD order header ‖ prefix (RFC 9605).
    std::memcpy(out.data(), frame.data(), *prefix);
    std::memcpy(out.data() + *prefix, aad, headerSize);
    const ByteView payload = frame.subspan(*prefix);
    const size_t sealed = payload.size() + SframeAead::kTagSize;
    stream.aead.seal(counter, ByteView(aad, aadSize), payload,
                     out.subspan(*prefix + headerSize, sealed));
    return *prefix + headerSize + sealed;
}

Result<Bytes> SframeSender::protectWithCounterForTestVectors(CipherSuite suite, ByteView baseKey,
                                                             uint64_t kid, uint64_t counter,
                                                             ByteView metadata, ByteView payload)
{
    auto aead = SframeAead::create(suite, kid, baseKey);
    if (!aead)
        return aead.error();
    Bytes aad = SframeHeader::encode(kid, counter);
    const size_t headerSize = aad.size();
    aad.insert(aad.end(), metadata.begin(), metadata.end());
    Bytes out(headerSize + payload.size() + SframeAead::kTagSize);
    std::copy_n(aad.begin(), headerSize, out.begin());
    aead->seal(counter, aad, payload, std::span<uint8_t>(out).subspan(headerSize));
    return out;
}

} // namespace conclave::crypto
