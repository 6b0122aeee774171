// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for COMMIT decoding and processing (docs/e2ee.md §3). Any input must give a
// value or an Error - never a crash, hang or leak. An accepted COMMIT must re-encode to exactly
// the input bytes. Decoded COMMITs are then processed three ways, so the fuzzer reaches the
// checks behind the signature: as received; re-signed by the (fixed) chair key with the meeting
// id and roster hash repaired; and the same as the next epoch for a member already admitted.
// The seeds in corpus/commit are real COMMITs made with the same fixed keys (format v2, with an
// all-zero descriptor hash; signed by the chair seed 01..).
#include "crypto/ChairKeySchedule.h"
#include "crypto/Commit.h"
#include "crypto/MemberKeySchedule.h"

#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace conclave::crypto;

namespace {

// Fixed keys shared with the seed corpus: meeting id 00..0f, chair identity seed 01..,
// chair ephemeral secret 11.., member identity seed 02.., member ephemeral secret 22...
Ed25519SigningKey identityFromSeed(uint8_t fill)
{
    const Bytes seed(crypto_sign_SEEDBYTES, fill);
    Bytes pub(crypto_sign_PUBLICKEYBYTES);
    SecureBuffer secret(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pub.data(), secret.data(), seed.data());
    return std::move(Ed25519SigningKey::fromSecret(secret.view())).value();
}

EphemeralKeyPair ephemeral(uint8_t fill)
{
    return std::move(EphemeralKeyPair::fromSecret(Bytes(32, fill))).value();
}

MeetingId meetingId()
{
    MeetingId id;
    for (size_t i = 0; i < id.bytes.size(); ++i)
        id.bytes[i] = static_cast<uint8_t>(i);
    return id;
}

struct Fixed {
    Ed25519SigningKey chair = identityFromSeed(0x01);
    Ed25519SigningKey member = identityFromSeed(0x02);
    MeetingId meeting = meetingId();
    Bytes firstCommit; // admits the member at epoch 1

    Fixed()
    {
        auto schedule =
            std::move(ChairKeySchedule::start(identityFromSeed(0x01), ephemeral(0x11), meeting,
                                              Commit::kSuiteChaCha20Poly1305Sha256, "Chair"))
                .value();
        const Admission admission{
            EphemeralAnnouncement::create(member, meeting, ephemeral(0x22).publicKey()),
            MemberRole::Participant, "Member"};
        firstCommit = schedule.admit({admission})->encode();
    }

    MemberKeySchedule newMember() const
    {
        return MemberKeySchedule(member.publicKey(), ephemeral(0x22), meeting, chair.publicKey());
    }
};

const Fixed& fixed()
{
    static const Fixed f;
    return f;
}

void checkProcessing(MemberKeySchedule& member, const Commit& commit)
{
    const auto stateBefore = member.state();
    const uint64_t epochBefore = member.currentEpoch();
    auto result = member.process(commit);
    if (!result) {
        if (result.error().code.empty() || result.error().message.empty())
            __builtin_trap(); // every refusal says why
        const bool removed = result.error().code == "commit.removed";
        if (removed ? member.state() != MemberKeySchedule::State::Removed
                    : member.state() != stateBefore || member.currentEpoch() != epochBefore)
            __builtin_trap(); // a refusal changes nothing, except a verified removal
        return;
    }
    if (member.state() != MemberKeySchedule::State::Member || result->epoch != commit.epoch ||
        member.currentEpoch() != commit.epoch || !member.ownIndex() ||
        *member.ownIndex() != result->ownIndex)
        __builtin_trap();
    if (!member.mediaKey(result->ownIndex, MediaContext::Audio) || !member.epochCode())
        __builtin_trap();
    if (member.process(commit).ok())
        __builtin_trap(); // the same COMMIT twice is a replay
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Fixed& f = fixed();
    const ByteView input(data, size);
    auto decoded = Commit::decode(input);
    if (!decoded) {
        if (decoded.error().code != "commit.malformed" || decoded.error().message.empty())
            __builtin_trap();
        return 0;
    }
    const Bytes again = decoded->encode();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data))
        __builtin_trap(); // one COMMIT, one encoding
    if (!decoded->checkForm())
        __builtin_trap();

    MemberKeySchedule asReceived = f.newMember();
    checkProcessing(asReceived, *decoded);

    Commit repaired = *decoded;
    repaired.meetingId = f.meeting;
    repaired.rosterHash = repaired.roster.hash(f.meeting, repaired.epoch);
    repaired.sign(f.chair);
    MemberKeySchedule waiting = f.newMember();
    checkProcessing(waiting, repaired);

    MemberKeySchedule admitted = f.newMember();
    if (!admitted.process(f.firstCommit))
        __builtin_trap();
    repaired.epoch = 2;
    repaired.rosterHash = repaired.roster.hash(f.meeting, repaired.epoch);
    repaired.sign(f.chair);
    checkProcessing(admitted, repaired);
    return 0;
}
