// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteMember (one other member's incoming side, whatever transport carries it) in a running
// pipeline: a live VP8 camera stream SFrame-protected with a known key and RTP-payloaded stands
// in for what a transport receives; its RTP pads (tee outputs) are attached to RemoteMembers.
// Decrypts with the key, fails after dropKeys, survives detach and attach while playing, fails
// closed when given to the wrong member, and wipes a retired key at its time - also in a
// decryptor built after the retirement.
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "media/MediaElements.h"
#include "media/RemoteMember.h"
#include "media/SframeDecrypt.h"
#include "media/SframeEncrypt.h"

#include <QtTest>

#include <chrono>
#include <memory>

using namespace conclave;
using namespace conclave::media;
using namespace std::chrono_literals;

namespace {

constexpr auto kSuite = crypto::CipherSuite::ChaCha20Poly1305Sha256;
constexpr auto kCamera = StreamKind::Camera;

uint64_t kidOf(uint64_t epoch)
{
    return crypto::MediaKeyId::pack(crypto::MediaContext::Video, 2, epoch).value();
}

/// What a transport would hand over: RTP pads carrying one member's SFrame-protected camera.
class Sender {
public:
    Sender()
    {
        GError* error = nullptr;
        m_pipeline = gst_parse_launch(
            "videotestsrc is-live=true pattern=ball ! "
            "video/x-raw,width=160,height=120,framerate=30/1 ! "
            "vp8enc deadline=1 keyframe-max-dist=10 ! conclavesframeenc name=enc ! "
            "conclavevp8pay pt=96 mtu=1200 ! tee name=rtp",
            &error);
        if (!m_pipeline || error)
            qFatal("sender pipeline: %s", error ? error->message : "?");
        m_encryptor = gst_bin_get_by_name(GST_BIN(m_pipeline), "enc");
        m_tee = gst_bin_get_by_name(GST_BIN(m_pipeline), "rtp");
    }
    ~Sender()
    {
        gst_element_set_state(m_pipeline, GST_STATE_NULL);
        for (GstPad* pad : m_pads) {
            gst_element_release_request_pad(m_tee, pad);
            gst_object_unref(pad);
        }
        gst_object_unref(m_tee);
        gst_object_unref(m_encryptor);
        gst_object_unref(m_pipeline);
    }
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    GstElement* pipeline() const { return m_pipeline; }
    GstElement* encryptor() const { return m_encryptor; }
    /// A new RTP output (what webrtcbin's pad-added would give). Like webrtcbin's, the stream
    /// stops with an error when its pads are all unlinked: play() after the first attach.
    GstPad* pad()
    {
        GstPad* pad = gst_element_request_pad_simple(m_tee, "src_%u");
        m_pads.push_back(pad);
        return pad;
    }
    void play() { gst_element_set_state(m_pipeline, GST_STATE_PLAYING); }
    uint64_t sent() const { return sframe_encrypt::stats(m_encryptor).protectedFrames; }
    /// The first error the pipeline posted, or empty.
    QString error() const
    {
        GstBus* bus = gst_element_get_bus(m_pipeline);
        QString text;
        if (GstMessage* msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR)) {
            GError* e = nullptr;
            gst_message_parse_error(msg, &e, nullptr);
            text = QString::fromUtf8(e->message);
            g_clear_error(&e);
            gst_message_unref(msg);
        }
        gst_object_unref(bus);
        return text;
    }

private:
    GstElement* m_pipeline = nullptr;
    GstElement* m_encryptor = nullptr;
    GstElement* m_tee = nullptr;
    std::vector<GstPad*> m_pads;
};

StreamStats cameraOf(RemoteMember& member)
{
    for (const StreamStats& s : member.stats())
        if (s.kind == kCamera)
            return s;
    return {};
}

/// Waits until `member`'s camera branch decrypted (and decoded) at least `frames` frames.
bool decrypts(RemoteMember& member, uint64_t frames = 5)
{
    return QTest::qWaitFor(
        [&] {
            const StreamStats s = cameraOf(member);
            return s.framesDecrypted >= frames && s.framesDecoded > 0;
        },
        5000);
}

/// Frames keep arriving for a while and none of them opens.
bool decryptsNothingMore(RemoteMember& member)
{
    QTest::qWait(300); // frames already past the decryptor settle
    const StreamStats before = cameraOf(member);
    QTest::qWait(700);
    const StreamStats after = cameraOf(member);
    return after.framesDecrypted == before.framesDecrypted &&
           after.decryptFailures > before.decryptFailures + 5;
}

} // namespace

class TestRemoteMember : public QObject {
    Q_OBJECT

    const crypto::SecureBuffer m_key = crypto::SecureBuffer::random(32);

    std::unique_ptr<RemoteMember> memberIn(Sender& sender, uint32_t index = 1)
    {
        MediaOptions options;
        return std::make_unique<RemoteMember>(sender.pipeline(), options, index, SinkFactory{});
    }

    void sendUnder(Sender& sender, uint64_t kid)
    {
        QVERIFY(sframe_encrypt::setKey(sender.encryptor(), kid, kSuite, m_key.view()).ok());
    }

private slots:
    void initTestCase()
    {
        auto ready = initialiseMedia();
        QVERIFY2(ready.ok(), ready.ok() ? "" : ready.error().message.c_str());
    }

    void decryptsWithTheKeyAndNothingAfterDropKeys()
    {
        Sender sender;
        sendUnder(sender, kidOf(1));
        auto member = memberIn(sender);
        member->setKey(kCamera, kidOf(1), kSuite, m_key.view()); // before the stream arrives
        QCOMPARE(member->keysHeld(kCamera), size_t(1));
        member->attach(kCamera, sender.pad());
        sender.play();
        QVERIFY(member->attached(kCamera));
        QVERIFY(decrypts(*member));
        QCOMPARE(cameraOf(*member).decryptFailures, uint64_t(0));
        QCOMPARE(cameraOf(*member).peer, uint32_t(1));
        QVERIFY(member->firstFrames().count(kCamera));

        member->dropKeys(kCamera);
        QCOMPARE(member->keysHeld(kCamera), size_t(0));
        QVERIFY(decryptsNothingMore(*member));
        QVERIFY(cameraOf(*member).unknownKey > 0);
        QVERIFY2(sender.error().isEmpty(), qPrintable(sender.error()));
    }

    void aKeyGivenAfterTheStreamArrivedIsInstalled()
    {
        Sender sender;
        sendUnder(sender, kidOf(2));
        auto member = memberIn(sender);
        member->attach(kCamera, sender.pad());
        sender.play();
        QVERIFY(QTest::qWaitFor([&] { return cameraOf(*member).unknownKey > 3; }, 5000));
        QCOMPARE(cameraOf(*member).framesDecrypted, uint64_t(0));
        member->setKey(kCamera, kidOf(2), kSuite, m_key.view());
        QVERIFY(decrypts(*member));
    }

    void aKidSeenAgainWithAnotherKeyReplacesTheOldOne()
    {
        Sender sender;
        sendUnder(sender, kidOf(3));
        auto member = memberIn(sender);
        member->setKey(kCamera, kidOf(3), kSuite, m_key.view());
        member->attach(kCamera, sender.pad());
        sender.play();
        QVERIFY(decrypts(*member));
        const crypto::SecureBuffer other = crypto::SecureBuffer::random(32);
        member->setKey(kCamera, kidOf(3), kSuite, other.view()); // 16 epochs later
        QCOMPARE(member->keysHeld(kCamera), size_t(1));
        QVERIFY(decryptsNothingMore(*member));
    }

    void detachAndAttachAgainWhilePlaying()
    {
        Sender sender;
        sendUnder(sender, kidOf(4));
        auto member = memberIn(sender);
        member->setKey(kCamera, kidOf(4), kSuite, m_key.view());
        GstPad* pad = sender.pad();
        member->attach(kCamera, pad);
        sender.play();
        QVERIFY(decrypts(*member));

        member->detach(kCamera);
        QVERIFY(!member->attached(kCamera));
        QVERIFY(member->stats().empty());
        // The sender's side keeps flowing: nothing upstream saw the branch go (an unlinked pad
        // would have stopped it with an error, as it stops webrtcbin's).
        const uint64_t sentAtDetach = sender.sent();
        QVERIFY(QTest::qWaitFor([&] { return sender.sent() > sentAtDetach + 10; }, 5000));
        QCOMPARE(member->keysHeld(kCamera), size_t(1)); // keys are the member's, not the branch's

        member->attach(kCamera, pad); // the same pad again (a re-mapped SFU stream)
        QVERIFY(decrypts(*member));
        member->attach(kCamera, sender.pad()); // replaces the branch
        QCOMPARE(member->stats().size(), size_t(1));
        QVERIFY(decrypts(*member));
        QVERIFY2(sender.error().isEmpty(), qPrintable(sender.error()));
    }

    void aStreamGivenToTheWrongMemberOpensNothing()
    {
        // An SFU mapping a stream to the wrong member: that member's keys do not open it.
        Sender sender;
        sendUnder(sender, kidOf(5));
        auto right = memberIn(sender, 1);
        auto wrong = memberIn(sender, 2);
        right->setKey(kCamera, kidOf(5), kSuite, m_key.view());
        const crypto::SecureBuffer wrongKey = crypto::SecureBuffer::random(32);
        wrong->setKey(kCamera, kidOf(5), kSuite, wrongKey.view()); // same KID, its own key
        GstPad* pad = sender.pad();
        right->attach(kCamera, pad);
        sender.play();
        QVERIFY(decrypts(*right));
        right->detach(kCamera);
        wrong->attach(kCamera, pad);
        QVERIFY(QTest::qWaitFor([&] { return cameraOf(*wrong).decryptFailures > 5; }, 5000));
        QCOMPARE(cameraOf(*wrong).framesDecrypted, uint64_t(0));
        QCOMPARE(cameraOf(*wrong).framesDecoded, uint64_t(0));
        wrong->detach(kCamera);
        right->attach(kCamera, pad); // mapped back
        QVERIFY(decrypts(*right));
        QVERIFY2(sender.error().isEmpty(), qPrintable(sender.error()));
    }

    void aRetiredKeyIsWipedAtItsTimeAlsoInADecryptorBuiltLater()
    {
        Sender sender;
        sendUnder(sender, kidOf(6));
        auto member = memberIn(sender);
        member->setKey(kCamera, kidOf(6), kSuite, m_key.view());
        GstPad* pad = sender.pad();
        member->attach(kCamera, pad);
        sender.play();
        QVERIFY(decrypts(*member));

        const auto at = std::chrono::system_clock::now() + 1500ms;
        member->retireKey(kCamera, kidOf(6), at);
        member->setKey(kCamera, kidOf(6), kSuite, m_key.view()); // re-installed: still retired
        member->detach(kCamera);
        member->attach(kCamera, pad); // a decryptor built after the retirement
        QVERIFY(decrypts(*member));   // until its time
        QCOMPARE(member->keysHeld(kCamera), size_t(1));

        QTest::qWait(int(std::chrono::duration_cast<std::chrono::milliseconds>(
                             at - std::chrono::system_clock::now())
                             .count()) +
                     100);
        member->pruneKeys(std::chrono::system_clock::now());
        QCOMPARE(member->keysHeld(kCamera), size_t(0)); // wiped here, with or without frames
        QVERIFY(decryptsNothingMore(*member));          // and in the decryptor
        QVERIFY(cameraOf(*member).unknownKey > 0);
    }
};

QTEST_GUILESS_MAIN(TestRemoteMember)
#include "tst_remotemember.moc"
