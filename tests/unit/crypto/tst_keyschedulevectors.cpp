// SPDX-License-Identifier: GPL-3.0-or-later
// Known answers for the key schedule (docs/e2ee.md §3-4). The expected values come from a
// separate Python implementation of the specification (hashlib, hmac and the pyca
// cryptography package, with HSalsa20/HChaCha20 written out and checked against the NaCl and
// XChaCha20 draft vectors), not from this code.
#include "KeyScheduleTestKit.h"
#include "crypto/Commit.h"
#include "crypto/EpochSecret.h"
#include "crypto/EpochWrap.h"
#include "crypto/MediaKeyId.h"
#include "crypto/MemberKeySchedule.h"
#include "crypto/SecurityCode.h"
#include "crypto/WrapKeyCache.h"

#include <QtTest>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

// Inputs: meeting id 00..0f; identities from seeds 01.., 02..; ephemeral secrets 11.., 22..;
// the previous epoch secret 33..; the fresh epoch input 44..; epoch 5; Alice at index 7; the
// signed meeting descriptor's hash 55...
const char* const kChairId = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
const char* const kAliceId = "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394";
const char* const kChairEph = "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13";
const char* const kAliceEph = "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20";
const char* const kRosterHash = "c7fc7267e20a4c13cc2bbda7b3d3a5736f06c8081d47d53e8bd0a93bc30a5529";
const char* const kAdmitInput = "447bbb43212b406f7946373dc47d0795655a91d4f3bd4f04a0daac2f5ab5edd3";
const char* const kAdmitSecret = "a50c88aaeeaef04d3e0f215068c08d34770bee98e72ecaa4c064166a4631e038";
const char* const kRekeySecret = "252efb28bf16244d1a5829aa870518c4e79190b4475e47cbfec904228d427a95";
const char* const kWrapKey = "5da9e0e9f51ba1bbc67715f7b61230fa24f77fc82f30db6e0686098054c087db";
const char* const kNonce = "937121af6f97bc58e1cba8a1569119e5e88777a107a2be2a";
const char* const kAad =
    "636f6e636c617665207772617020616164207631000102030405060708090a0b0c0d0e0f0000000000000005c7fc72"
    "67e20a4c13cc2bbda7b3d3a5736f06c8081d47d53e8bd0a93bc30a552900000007";
const char* const kWrap = "1f26ccd75d0eaa093c5de46e1db3697c96cee843d30a018fa0f79f8790fc0a15427663a4"
                          "c2e81333c13aed74cf9afc7f";
const char* const kBaseKeyAliceVideo =
    "6cb87b4c0fd3df796cb437037581747d2cbc82f7cab22e2163d758dbd83d7768";
const char* const kBaseKeyChairAudio =
    "2fc4fa7c525c9e092002d745f6137e6fadcc1a24add77f50719f886fe28e4de4";
const char* const kMeetingCode = "75977 93714 50925 35402";
const char* const kEpochCode = "04613 51135 96165 94384 76320 32288";
// The whole signed rekey COMMIT (reason 'removed', suite 0xF001, descriptor hash 55..), 398
// bytes.
const char* const kCommit =
    "636f6e636c61766520636f6d6d6974207632000102030405060708090a0b0c0d0e0f00000000000000050101000000"
    "00f001c7fc7267e20a4c13cc2bbda7b3d3a5736f06c8081d47d53e8bd0a93bc30a5529555555555555555555555555"
    "55555555555555555555555555555555555555550000000200000000008a88e3dd7409f195fd52db2d3cba5d72ca67"
    "09bf1d94121bf3748801b40f6f5c7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f1309"
    "43686169722041646100000007028139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b3940f"
    "aa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f200b416c6963652042726f776e00000001"
    "000000071f26ccd75d0eaa093c5de46e1db3697c96cee843d30a018fa0f79f8790fc0a15427663a4c2e81333c13aed"
    "74cf9afc7ff75b8fcbf1084220fd672f7dde78988ed13bfaf4b1d64b407fad00921da367ad60c2324dabee61717280"
    "76c9eff6c3140634a7f569e7a2e3a23f2662b9083f0e";

MeetingId meeting()
{
    MeetingId id;
    for (size_t i = 0; i < id.bytes.size(); ++i)
        id.bytes[i] = static_cast<uint8_t>(i);
    return id;
}

SecureBuffer filled(uint8_t b)
{
    return SecureBuffer::copyOf(Bytes(32, b));
}

Roster katRoster()
{
    const auto chairIdentity = identityFromSeed(0x01);
    const auto aliceIdentity = identityFromSeed(0x02);
    RosterEntry chair{0, MemberRole::Chair, chairIdentity.publicKey(),
                      ephemeralFromSecret(0x11).publicKey(), "Chair Ada"};
    RosterEntry alice{7, MemberRole::Participant, aliceIdentity.publicKey(),
                      ephemeralFromSecret(0x22).publicKey(), "Alice Brown"};
    return std::move(Roster::create({chair, alice})).value();
}

RosterHash katHash()
{
    return katRoster().hash(meeting(), 5);
}

DescriptorHash katDescriptor()
{
    DescriptorHash hash;
    hash.fill(0x55);
    return hash;
}

} // namespace

class TestKeyScheduleVectors : public QObject {
    Q_OBJECT

private slots:
    void keysFromSeeds()
    {
        QCOMPARE(toHex(identityFromSeed(0x01).publicKey().view()), std::string(kChairId));
        QCOMPARE(toHex(identityFromSeed(0x02).publicKey().view()), std::string(kAliceId));
        QCOMPARE(toHex(ephemeralFromSecret(0x11).publicKey().view()), std::string(kChairEph));
        QCOMPARE(toHex(ephemeralFromSecret(0x22).publicKey().view()), std::string(kAliceEph));
    }

    void rosterHash() { QCOMPARE(toHex(katHash()), std::string(kRosterHash)); }

    void epochSecrets()
    {
        auto input = epoch_secret::admitInput(filled(0x33));
        QVERIFY(input.ok());
        QCOMPARE(toHex(input->view()), std::string(kAdmitInput));
        QCOMPARE(toHex(epoch_secret::derive(katHash(), katDescriptor(), *input).view()),
                 std::string(kAdmitSecret));
        QCOMPARE(toHex(epoch_secret::derive(katHash(), katDescriptor(), filled(0x44)).view()),
                 std::string(kRekeySecret));
        QCOMPARE(epoch_secret::admitInput(SecureBuffer::copyOf(Bytes(16, 1))).error().code,
                 std::string("keys.bad_epoch_secret"));
    }

    void wrapKeyIsSymmetric()
    {
        const auto chair = ephemeralFromSecret(0x11);
        const auto alice = ephemeralFromSecret(0x22);
        auto fromChair = WrapKeyCache::deriveWrapKey(chair, alice.publicKey());
        auto fromAlice = WrapKeyCache::deriveWrapKey(alice, chair.publicKey());
        QVERIFY(fromChair.ok() && fromAlice.ok());
        QCOMPARE(toHex(fromChair->view()), std::string(kWrapKey));
        QCOMPARE(toHex(fromAlice->view()), std::string(kWrapKey));
    }

    void wrapKnownAnswer()
    {
        const epoch_wrap::WrapContext context{meeting(), 5, katHash()};
        QCOMPARE(toHex(epoch_wrap::nonce(meeting(), 5, 7)), std::string(kNonce));
        QCOMPARE(toHex(epoch_wrap::aad(context, 7)), std::string(kAad));
        const SecureBuffer key = SecureBuffer::copyOf(*fromHex(kWrapKey));
        const auto wrap = epoch_wrap::seal(key, context, 7, filled(0x44));
        QCOMPARE(toHex(wrap), std::string(kWrap));
        auto opened = epoch_wrap::open(key, context, 7, wrap);
        QVERIFY(opened.ok());
        QCOMPARE(toHex(opened->view()), toHex(filled(0x44).view()));
    }

    void mediaKeys()
    {
        const SecureBuffer es = SecureBuffer::copyOf(*fromHex(kRekeySecret));
        auto video = deriveMediaKey(es, 5, 7, MediaContext::Video);
        QVERIFY(video.ok());
        QCOMPARE(video->kid, uint64_t(1048693));
        QCOMPARE(toHex(video->baseKey.view()), std::string(kBaseKeyAliceVideo));
        auto audio = deriveMediaKey(es, 5, 0, MediaContext::Audio);
        QCOMPARE(audio->kid, uint64_t(5));
        QCOMPARE(toHex(audio->baseKey.view()), std::string(kBaseKeyChairAudio));
    }

    void securityCodes()
    {
        const auto chairIdentity = identityFromSeed(0x01).publicKey();
        QCOMPARE(security_code::meetingCode(meeting(), chairIdentity,
                                            ephemeralFromSecret(0x11).publicKey()),
                 std::string(kMeetingCode));
        QCOMPARE(security_code::epochCode(meeting(), 5, katHash()), std::string(kEpochCode));
    }

    void wholeCommit()
    {
        Commit commit;
        commit.meetingId = meeting();
        commit.epoch = 5;
        commit.kind = CommitKind::Rekey;
        commit.reason = CommitReason::Removed;
        commit.chairIndex = 0;
        commit.suite = Commit::kSuiteChaCha20Poly1305Sha256;
        commit.roster = katRoster();
        commit.rosterHash = katHash();
        commit.descriptorHash = katDescriptor();
        const SecureBuffer key = SecureBuffer::copyOf(*fromHex(kWrapKey));
        commit.wraps = {{7, epoch_wrap::seal(key, {meeting(), 5, katHash()}, 7, filled(0x44))}};
        commit.sign(identityFromSeed(0x01));
        QCOMPARE(toHex(commit.encode()), std::string(kCommit));

        auto decoded = Commit::decode(*fromHex(kCommit));
        QVERIFY(decoded.ok());
        QCOMPARE(toHex(decoded->encode()), std::string(kCommit));
    }

    void newcomerUnwrapsTheKnownCommit()
    {
        // Alice has never seen this meeting: the first COMMIT she gets is this rekey, and from
        // it alone she reaches the reference epoch secret's media keys.
        const auto alice = identityFromSeed(0x02);
        MemberKeySchedule member(alice.publicKey(), ephemeralFromSecret(0x22), meeting(),
                                 identityFromSeed(0x01).publicKey());
        member.setDescriptorHash(katDescriptor());
        auto change = member.process(*fromHex(kCommit));
        QVERIFY2(change.ok(), change.ok() ? "" : change.error().message.c_str());
        QCOMPARE(change->epoch, uint64_t(5));
        QCOMPARE(change->ownIndex, uint32_t(7));
        QCOMPARE(change->kind, CommitKind::Rekey);
        QCOMPARE(change->reason, CommitReason::Removed);
        QCOMPARE(change->suite, uint16_t(0xf001));
        auto video = member.mediaKey(7, MediaContext::Video);
        QVERIFY(video.ok());
        QCOMPARE(toHex(video->baseKey.view()), std::string(kBaseKeyAliceVideo));
        QCOMPARE(*member.meetingCode(), std::string(kMeetingCode));
        QCOMPARE(*member.epochCode(), std::string(kEpochCode));
    }
};

QTEST_GUILESS_MAIN(TestKeyScheduleVectors)
#include "tst_keyschedulevectors.moc"
