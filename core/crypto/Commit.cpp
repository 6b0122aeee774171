// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Commit.h"

#include "crypto/ScheduleWire.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace conclave::crypto {
namespace {

constexpr std::string_view kLabel = "conclave commit v2";

Error malformed(const std::string& why)
{
    return makeError("commit.malformed", "the key change (COMMIT) is malformed: " + why);
}

} // namespace

Bytes Commit::signedBytes() const
{
    using namespace schedule_wire;
    Bytes out;
    out.reserve(kLabel.size() + 16 + 8 + 1 + 1 + 4 + 2 + 32 + 32 + 4 +
                roster.encodedEntries().size() + 4 + wraps.size() * kWrapEntrySize +
                kEd25519SignatureSize);
    putLabel(out, kLabel);
    putBytes(out, meetingId.view());
    putU64(out, epoch);
    putU8(out, static_cast<uint8_t>(kind));
    putU8(out, static_cast<uint8_t>(reason));
    putU32(out, chairIndex);
    putU16(out, suite);
    putBytes(out, rosterHash);
    putBytes(out, descriptorHash);
    putU32(out, static_cast<uint32_t>(roster.size()));
    putBytes(out, roster.encodedEntries());
    putU32(out, static_cast<uint32_t>(wraps.size()));
    for (const WrappedInput& w : wraps) {
        putU32(out, w.index);
        putBytes(out, w.wrap);
    }
    if (kind == CommitKind::Resync)
        putU32(out, nextIndex);
    return out;
}

Bytes Commit::encode() const
{
    Bytes out = signedBytes();
    schedule_wire::putBytes(out, signature);
    return out;
}

Result<Commit> Commit::decode(ByteView data)
{
    schedule_wire::Reader reader(data);
    const auto label = reader.bytes(kLabel.size());
    if (!label || !std::equal(label->begin(), label->end(), asBytes(kLabel).begin()))
        return malformed("it does not start with \"conclave commit v2\"");

    Commit commit;
    const auto meeting = reader.bytes(MeetingId::kSize);
    const auto epoch = reader.u64();
    const auto kind = reader.u8();
    const auto reason = reader.u8();
    const auto chairIndex = reader.u32();
    const auto suite = reader.u16();
    const auto rosterHash = reader.bytes(commit.rosterHash.size());
    const auto descriptorHash = reader.bytes(commit.descriptorHash.size());
    const auto count = reader.u32();
    if (!meeting || !epoch || !kind || !reason || !chairIndex || !suite || !rosterHash ||
        !descriptorHash || !count)
        return malformed("its header is cut short");
    if (*kind > static_cast<uint8_t>(CommitKind::Resync))
        return malformed("unknown kind " + std::to_string(*kind));
    if (*reason > static_cast<uint8_t>(CommitReason::Resync))
        return malformed("unknown reason " + std::to_string(*reason));
    if (*count == 0 || *count > Roster::kMaxMembers)
        return malformed("the roster must hold 1 to 10,000 members, not " + std::to_string(*count));
    // Checked before reserving anything, so a short input cannot make us allocate for 10,000.
    if (reader.remaining() < size_t(*count) * RosterEntry::kFixedSize)
        return malformed("the roster is cut short");

    std::copy(meeting->begin(), meeting->end(), commit.meetingId.bytes.begin());
    commit.epoch = *epoch;
    commit.kind = static_cast<CommitKind>(*kind);
    commit.reason = static_cast<CommitReason>(*reason);
    commit.chairIndex = *chairIndex;
    commit.suite = *suite;
    std::copy(rosterHash->begin(), rosterHash->end(), commit.rosterHash.begin());
    std::copy(descriptorHash->begin(), descriptorHash->end(), commit.descriptorHash.begin());

    std::vector<RosterEntry> entries;
    entries.reserve(*count);
    for (uint32_t i = 0; i < *count; ++i) {
        auto entry = RosterEntry::decode(reader);
        if (!entry)
            return malformed(entry.error().message);
        entries.push_back(std::move(entry).value());
    }
    auto roster = Roster::create(std::move(entries));
    if (!roster)
        return malformed(roster.error().message);
    commit.roster = std::move(roster).value();

    const auto wrapCount = reader.u32();
    if (!wrapCount)
        return malformed("the wrap count is missing");
    if (*wrapCount >= *count)
        return malformed("it has more wrapped keys than members other than the chair");
    const size_t tail = size_t(*wrapCount) * kWrapEntrySize +
                        (commit.kind == CommitKind::Resync ? 4 : 0) + kEd25519SignatureSize;
    if (reader.remaining() != tail)
        return malformed(reader.remaining() < tail ? "it is cut short" : "it has trailing bytes");
    commit.wraps.resize(*wrapCount);
    for (WrappedInput& w : commit.wraps) {
        w.index = *reader.u32();
        const ByteView wrap = *reader.bytes(epoch_wrap::kWrapSize);
        std::copy(wrap.begin(), wrap.end(), w.wrap.begin());
    }
    if (commit.kind == CommitKind::Resync)
        commit.nextIndex = *reader.u32();
    const ByteView signature = *reader.bytes(kEd25519SignatureSize);
    std::copy(signature.begin(), signature.end(), commit.signature.begin());

    if (auto form = commit.checkForm(); !form)
        return form.error();
    return commit;
}

Result<void> Commit::checkForm() const
{
    if (epoch == 0)
        return malformed("epoch 0 is the chair alone and has no COMMIT");
    if (kind == CommitKind::Admit && reason != CommitReason::Join)
        return malformed("an admit must carry the reason 'join'");
    if (kind == CommitKind::Rekey &&
        (reason == CommitReason::Join || reason == CommitReason::Resync))
        return malformed("a rekey cannot carry the reason 'join' or 'resync'");
    if ((kind == CommitKind::Resync) != (reason == CommitReason::Resync))
        return malformed("a resync, and only a resync, carries the reason 'resync'");
    if (kind != CommitKind::Admit && kind != CommitKind::Rekey && kind != CommitKind::Resync)
        return malformed("unknown kind");
    if (suite != kSuiteAes256GcmSha512 && suite != kSuiteChaCha20Poly1305Sha256)
        return malformed("unknown cipher suite " + std::to_string(suite));
    if (roster.empty())
        return malformed("the roster is empty");
    const RosterEntry* chair = roster.find(chairIndex);
    if (!chair || chair->role != MemberRole::Chair)
        return malformed("the chair index does not name the roster's chair");
    for (size_t i = 0; i < wraps.size(); ++i) {
        if (i > 0 && wraps[i].index <= wraps[i - 1].index)
            return malformed("the wrapped keys are not in strictly increasing index order");
        if (wraps[i].index == chairIndex)
            return malformed("it wraps a key to the chair itself");
        if (!roster.find(wraps[i].index))
            return malformed("it wraps a key to someone who is not in the roster");
    }
    if (kind == CommitKind::Rekey && wraps.size() != roster.size() - 1)
        return malformed("a rekey must wrap the new key to every member but the chair");
    if (kind == CommitKind::Admit && wraps.empty())
        return malformed("an admit must wrap the new key to at least one newcomer");
    if (kind == CommitKind::Resync && wraps.size() != 1)
        return malformed("a resync wraps the epoch's key to exactly one member");
    if (kind == CommitKind::Resync && nextIndex <= roster.entries().back().index)
        return malformed("a resync's next index must be above every index in its roster");
    return {};
}

void Commit::sign(const Ed25519SigningKey& chair)
{
    const Bytes sig = chair.sign(signedBytes());
    std::copy(sig.begin(), sig.end(), signature.begin());
}

bool Commit::verifySignature(const Ed25519PublicKey& chair) const
{
    return verifyEd25519(chair, signedBytes(), signature);
}

const WrappedInput* Commit::findWrap(uint32_t index) const
{
    const auto it =
        std::lower_bound(wraps.begin(), wraps.end(), index,
                         [](const WrappedInput& w, uint32_t wanted) { return w.index < wanted; });
    return it != wraps.end() && it->index == index ? &*it : nullptr;
}

} // namespace conclave::crypto
