// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for SFrame: header decoding, unprotect of arbitrary bytes with a receiver
// holding three keys (both suites, both codecs), and protect/unprotect round trips. Besides the
// sanitizers' checks it traps when a promise breaks: a decoded header re-encodes to the same
// bytes; every call is counted under exactly one reason; an accepted frame is exactly what
// protecting its plaintext under the same KID and counter gives; a changed byte or a replay
// is never accepted.
//
// Input: byte 0 picks the mode (low 2 bits: 0 header, 1-2 unprotect, 3 round trip) and the
// codec (bit 7: VP8, else Opus); the rest is the data. The keys are fixed (and public: this is
// a test) so that seeds in tests/fuzz/corpus/sframe/ can hold valid protected frames
// (unprotect-*: protected under fuzzKeys() with counters from 0), which mutations then damage.
#include "crypto/ClearPrefix.h"
#include "crypto/SframeCipherSuite.h"
#include "crypto/SframeHeader.h"
#include "crypto/SframeReceiver.h"
#include "crypto/SframeSender.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace conclave::crypto;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

struct FuzzKey {
    uint64_t kid;
    CipherSuite suite;
    Bytes baseKey;
};

/// KID 0x123 on AES-256-GCM (ChaCha where the CPU lacks AES-NI), KID 7 and the largest
/// Conclave KID (ctx 2, index 0xffff, epoch 15) on ChaCha20-Poly1305. Base key i is
/// 32 bytes of (i * 32 + j).
const std::vector<FuzzKey>& fuzzKeys()
{
    static const std::vector<FuzzKey> keys = [] {
        std::vector<FuzzKey> out;
        const CipherSuite first = aesGcmAvailable() ? CipherSuite::Aes256GcmSha512_128
                                                    : CipherSuite::ChaCha20Poly1305Sha256;
        const std::pair<uint64_t, CipherSuite> ids[] = {
            {0x123, first},
            {7, CipherSuite::ChaCha20Poly1305Sha256},
            {uint64_t(2) << 20 | 0xffff << 4 | 15, CipherSuite::ChaCha20Poly1305Sha256}};
        for (size_t i = 0; i < std::size(ids); ++i) {
            Bytes key(32);
            for (size_t j = 0; j < key.size(); ++j)
                key[j] = static_cast<uint8_t>(i * 32 + j);
            out.push_back({ids[i].first, ids[i].second, key});
        }
        return out;
    }();
    return keys;
}

const FuzzKey* keyFor(uint64_t kid)
{
    for (const FuzzKey& key : fuzzKeys())
        if (key.kid == kid)
            return &key;
    return nullptr;
}

uint64_t total(const SframeReceiverStats& s)
{
    return s.accepted + s.unknownKid + s.authFailed + s.replay + s.malformed;
}

void fuzzHeader(ByteView data)
{
    const auto header = SframeHeader::decode(data);
    if (!header.ok()) {
        check(header.error().code.rfind("sframe.header_", 0) == 0);
        check(!header.error().message.empty());
        return;
    }
    check(header->size >= 1 && header->size <= data.size() && header->size <= 17);
    check(SframeHeader::encodedSize(header->kid, header->counter) == header->size);
    const Bytes again = SframeHeader::encode(header->kid, header->counter);
    check(std::equal(again.begin(), again.end(), data.begin(), data.begin() + long(header->size)));
}

void fuzzUnprotect(MediaCodec codec, ByteView wire)
{
    SframeReceiver receiver;
    for (const FuzzKey& key : fuzzKeys())
        check(receiver.addKey(key.kid, key.suite, key.baseKey).ok());
    const auto frame = receiver.unprotect(codec, wire);
    check(total(receiver.stats()) == 1);
    if (!frame.ok()) {
        check(frame.error().code.rfind("sframe.", 0) == 0 && !frame.error().message.empty());
        return;
    }
    check(receiver.stats().accepted == 1);

    // Accepted: the prefix is back in front, and protecting the plaintext again under the same
    // KID and counter reproduces the wire bytes exactly.
    const size_t prefix = *ClearPrefix::length(codec, wire);
    const auto header = SframeHeader::decode(wire.subspan(prefix));
    check(header.ok());
    const FuzzKey* key = keyFor(header->kid);
    check(key != nullptr);
    check(frame->size() == wire.size() - header->size - 16);
    check(std::equal(wire.begin(), wire.begin() + long(prefix), frame->begin()));
    const ByteView payload = ByteView(*frame).subspan(prefix);
    const auto again = SframeSender::protectWithCounterForTestVectors(
        key->suite, key->baseKey, header->kid, header->counter, wire.first(prefix), payload);
    check(again.ok());
    check(std::equal(again->begin(), again->end(), wire.begin() + long(prefix), wire.end()));
    check(again->size() == wire.size() - prefix);
    // The same frame twice is a replay.
    const auto twice = receiver.unprotect(codec, wire);
    check(!twice.ok() && twice.error().code == "sframe.replay");
}

void fuzzRoundTrip(MediaCodec codec, uint8_t selector, ByteView frame)
{
    const FuzzKey& key = fuzzKeys()[selector % fuzzKeys().size()];
    SframeSender sender;
    SframeReceiver receiver;
    check(sender.setKey(key.kid, key.suite, key.baseKey).ok());
    check(receiver.addKey(key.kid, key.suite, key.baseKey).ok());
    const auto wire = sender.protect(key.kid, codec, frame);
    const auto prefix = ClearPrefix::length(codec, frame);
    check(wire.ok() == prefix.ok());
    if (!wire.ok())
        return;
    check(wire->size() <= SframeSender::maxProtectedSize(frame.size()));
    check(std::equal(frame.begin(), frame.begin() + long(*prefix), wire->begin()));

    // One changed byte (position and bits from the input) is never accepted.
    Bytes changed = *wire;
    const size_t at = (size_t(selector) * 7919 + frame.size()) % changed.size();
    changed[at] ^= static_cast<uint8_t>(selector | 1);
    check(!receiver.unprotect(codec, changed).ok());

    const auto back = receiver.unprotect(codec, *wire);
    check(back.ok());
    check(std::equal(back->begin(), back->end(), frame.begin(), frame.end()));
    check(!receiver.unprotect(codec, *wire).ok());
    check(receiver.stats().accepted == 1 && total(receiver.stats()) == 3);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t selector = data[0];
    const ByteView rest(data + 1, size - 1);
    const MediaCodec codec = (selector & 0x80) ? MediaCodec::Vp8 : MediaCodec::Opus;
    switch (selector % 4) {
    case 0:
        fuzzHeader(rest);
        break;
    case 1:
    case 2:
        fuzzUnprotect(codec, rest);
        break;
    default:
        fuzzRoundTrip(codec, selector >> 2, rest);
        break;
    }
    return 0;
}
