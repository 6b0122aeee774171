// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deterministic keys and a small in-memory meeting (one chair, many members) for the key
// schedule tests. Header-only, test code only.

#include "crypto/ChairKeySchedule.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralAnnouncement.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MemberKeySchedule.h"

#include <sodium.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace conclave::crypto::testkit {

/// An Ed25519 identity from a 32-byte seed of `fill` bytes.
inline Ed25519SigningKey identityFromSeed(uint8_t fill)
{
    const Bytes seed(crypto_sign_SEEDBYTES, fill);
    Bytes pub(crypto_sign_PUBLICKEYBYTES);
    SecureBuffer secret(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pub.data(), secret.data(), seed.data());
    return std::move(Ed25519SigningKey::fromSecret(secret.view())).value();
}

inline EphemeralKeyPair ephemeralFromSecret(uint8_t fill)
{
    return std::move(EphemeralKeyPair::fromSecret(Bytes(32, fill))).value();
}

/// A copy of an ephemeral key pair (tests need the chair's after it moved into the schedule).
inline EphemeralKeyPair copyOf(const EphemeralKeyPair& pair)
{
    return std::move(EphemeralKeyPair::fromSecret(pair.secret().view())).value();
}

inline Ed25519SigningKey copyOf(const Ed25519SigningKey& key)
{
    return std::move(Ed25519SigningKey::fromSecret(key.secret().view())).value();
}

/// One member device for one join.
struct Device {
    Ed25519SigningKey identity;
    EphemeralKeyPair ephemeral;
    std::unique_ptr<MemberKeySchedule> schedule;
    std::string name;
};

/// A meeting run entirely in memory: the chair builds COMMITs, every device processes them.
class Meeting {
public:
    explicit Meeting(uint16_t suite = Commit::kSuiteChaCha20Poly1305Sha256)
        : m_meetingId(MeetingId::random()), m_chairIdentity(Ed25519SigningKey::generate()),
          m_chairEphemeral(EphemeralKeyPair::generate()),
          m_chair(
              std::move(ChairKeySchedule::start(copyOf(m_chairIdentity), copyOf(m_chairEphemeral),
                                                m_meetingId, suite, "Chair"))
                  .value())
    {
    }

    ChairKeySchedule& chair() { return m_chair; }
    const MeetingId& meetingId() const { return m_meetingId; }
    const Ed25519SigningKey& chairIdentity() const { return m_chairIdentity; }
    const EphemeralKeyPair& chairEphemeral() const { return m_chairEphemeral; }
    std::map<std::string, Device>& devices() { return m_devices; }
    Device& device(const std::string& name) { return m_devices.at(name); }

    /// A device that announced its key but is not admitted yet.
    Device& knock(const std::string& name)
    {
        Device d{Ed25519SigningKey::generate(), EphemeralKeyPair::generate(), nullptr, name};
        d.schedule = std::make_unique<MemberKeySchedule>(
            d.identity.publicKey(), copyOf(d.ephemeral), m_meetingId, m_chairIdentity.publicKey());
        return m_devices.insert_or_assign(name, std::move(d)).first->second;
    }

    Admission admissionFor(const std::string& name, MemberRole role = MemberRole::Participant)
    {
        const Device& d = m_devices.at(name);
        return {EphemeralAnnouncement::create(d.identity, m_meetingId, d.ephemeral.publicKey()),
                role, name};
    }

    /// Delivers a COMMIT to every device that is a member or was just named in the roster.
    /// Returns an empty string, or the first failure ("name: code").
    std::string deliver(const Commit& commit)
    {
        const Bytes wire = commit.encode();
        for (auto& [name, d] : m_devices) {
            const bool named = commit.roster.findIdentity(d.identity.publicKey()) != nullptr;
            const bool member = d.schedule->state() == MemberKeySchedule::State::Member;
            if (!named && !member)
                continue;
            auto result = d.schedule->process(wire);
            if (named && !result)
                return name + ": " + result.error().code;
            if (!named && (result || result.error().code != "commit.removed"))
                return name + ": removal not reported";
        }
        return {};
    }

    std::string admit(const std::vector<std::string>& names)
    {
        std::vector<Admission> admissions;
        for (const auto& name : names) {
            knock(name);
            admissions.push_back(admissionFor(name));
        }
        auto commit = m_chair.admit(admissions);
        if (!commit)
            return "admit: " + commit.error().code;
        return deliver(*commit);
    }

    uint32_t indexOf(const std::string& name) { return *m_devices.at(name).schedule->ownIndex(); }

    std::string remove(const std::vector<std::string>& names, CommitReason reason)
    {
        std::vector<uint32_t> indices;
        for (const auto& name : names)
            indices.push_back(indexOf(name));
        auto remaining = m_chair.roster().without(indices);
        if (!remaining)
            return "roster: " + remaining.error().code;
        auto commit = m_chair.rekey(reason, *remaining);
        if (!commit)
            return "rekey: " + commit.error().code;
        return deliver(*commit);
    }

    std::string rekey(CommitReason reason = CommitReason::Periodic)
    {
        auto commit = m_chair.rekey(reason, m_chair.roster());
        if (!commit)
            return "rekey: " + commit.error().code;
        return deliver(*commit);
    }

    /// Every member holds the chair's epoch, roster hash, codes and every media key.
    std::string agreement()
    {
        for (auto& [name, d] : m_devices) {
            MemberKeySchedule& s = *d.schedule;
            if (s.state() != MemberKeySchedule::State::Member)
                continue;
            if (s.currentEpoch() != m_chair.currentEpoch())
                return name + ": epoch differs";
            if (s.rosterHash() != m_chair.rosterHash())
                return name + ": roster hash differs";
            if (*s.epochCode() != m_chair.epochCode() || *s.meetingCode() != m_chair.meetingCode())
                return name + ": security code differs";
            for (const RosterEntry& sender : m_chair.roster().entries())
                for (auto ctx : {MediaContext::Audio, MediaContext::Video, MediaContext::Screen}) {
                    auto mine = s.mediaKey(sender.index, ctx);
                    auto chairs = m_chair.mediaKey(sender.index, ctx);
                    if (!mine || !chairs || mine->kid != chairs->kid ||
                        !equalConstantTime(mine->baseKey.view(), chairs->baseKey.view()))
                        return name + ": media key of sender " + std::to_string(sender.index) +
                               " differs";
                }
        }
        return {};
    }

private:
    MeetingId m_meetingId;
    Ed25519SigningKey m_chairIdentity;
    EphemeralKeyPair m_chairEphemeral;
    ChairKeySchedule m_chair;
    std::map<std::string, Device> m_devices;
};

} // namespace conclave::crypto::testkit
