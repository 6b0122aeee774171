// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyScheduleTestKit.h"
#include "crypto/ChatCipher.h"
#include "crypto/EphemeralAnnouncement.h"

#include <QtTest>

using namespace conclave::crypto;

class TestChatCipher : public QObject {
    Q_OBJECT

private slots:
    void sealsAndOpensOnlyWithTheSameKeyAndContext()
    {
        const SecureBuffer es = SecureBuffer::random(32);
        auto key = chat_cipher::deriveKey(es, 4);
        QVERIFY(key.ok());
        const Bytes aad = {1, 2, 3};
        const auto sealed =
            chat_cipher::seal(*key, aad, asBytes("OFFICIAL-SENSITIVE: agenda item 2"));
        auto opened = chat_cipher::open(*key, aad, sealed.nonce, sealed.ciphertext);
        QVERIFY(opened.ok());
        QCOMPARE(std::string(opened->begin(), opened->end()),
                 std::string("OFFICIAL-SENSITIVE: agenda item 2"));

        auto otherEpoch = chat_cipher::deriveKey(es, 5);
        QVERIFY(!chat_cipher::open(*otherEpoch, aad, sealed.nonce, sealed.ciphertext).ok());
        QVERIFY(!chat_cipher::open(*key, Bytes{1, 2, 4}, sealed.nonce, sealed.ciphertext).ok());
        Bytes tampered = sealed.ciphertext;
        tampered[0] ^= 1;
        QCOMPARE(chat_cipher::open(*key, aad, sealed.nonce, tampered).error().code,
                 std::string("chat.undecryptable"));
        QVERIFY(!chat_cipher::open(*key, aad, Bytes(12), sealed.ciphertext).ok());
    }

    void chairAndMembersShareTheChatKeyOfAnEpoch()
    {
        testkit::Meeting meeting;
        meeting.knock("alice");
        meeting.knock("bob");
        QCOMPARE(meeting.admit({"alice", "bob"}), std::string());
        auto chairKey = meeting.chair().chatKey();
        QVERIFY(chairKey.ok());
        for (auto& [name, device] : meeting.devices()) {
            auto memberKey = device.schedule->chatKey();
            QVERIFY(memberKey.ok());
            QVERIFY(equalConstantTime(memberKey->view(), chairKey->view()));
        }
        // A device that was never admitted has no chat key.
        testkit::Device& outsider = meeting.knock("mallory");
        QVERIFY(!outsider.schedule->chatKey().ok());
    }

    void announcementsRoundTrip()
    {
        const auto identity = Ed25519SigningKey::generate();
        const auto meetingId = MeetingId::random();
        const auto ephemeral = EphemeralKeyPair::generate();
        const auto a = EphemeralAnnouncement::create(identity, meetingId, ephemeral.publicKey());
        const Bytes wire = a.encode();
        QCOMPARE(wire.size(), EphemeralAnnouncement::kEncodedSize);
        auto back = EphemeralAnnouncement::decode(wire);
        QVERIFY(back.ok());
        QVERIFY(back->verify(meetingId).ok());
        QVERIFY(back->identity == identity.publicKey());
        QVERIFY(!EphemeralAnnouncement::decode(ByteView(wire).first(143)).ok());
        Bytes altered = wire;
        altered[40] ^= 1; // inside the identity key
        QVERIFY(!EphemeralAnnouncement::decode(altered)->verify(meetingId).ok());
    }
};

QTEST_GUILESS_MAIN(TestChatCipher)
#include "tst_chatcipher.moc"
