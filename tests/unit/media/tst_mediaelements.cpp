// SPDX-License-Identifier: GPL-3.0-or-later
// Conclave's own GStreamer elements in real pipelines (no network): encoded frames go through
// SFrame encrypt, RTP payloading and depayloading, SFrame decrypt and a real decoder. With the
// right key every frame decodes; with a wrong key, no key, or no decrypt at all, none does.
#include "PipelineRun.h"
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "media/MediaElements.h"
#include "media/SframeDecrypt.h"
#include "media/SframeEncrypt.h"
#include "media/Vp8Payloader.h"
#include "media/WebrtcParts.h"

#include <QThreadPool>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace conclave;
using namespace conclave::media;
using testsupport::PipelineRun;

namespace {

constexpr int kFrames = 60;
constexpr auto kSuite = crypto::CipherSuite::ChaCha20Poly1305Sha256;

QString videoPath(const char* middle)
{
    return QStringLiteral("videotestsrc num-buffers=%1 pattern=ball ! "
                          "video/x-raw,width=320,height=240,framerate=30/1 ! "
                          "vp8enc deadline=1 keyframe-max-dist=30 ! %2 ! "
                          "vp8dec ! fakesink name=decoded signal-handoffs=true sync=false")
        .arg(kFrames)
        .arg(QLatin1String(middle));
}

QString audioPath(const char* middle)
{
    return QStringLiteral("audiotestsrc num-buffers=%1 samplesperbuffer=960 ! "
                          "audio/x-raw,rate=48000,channels=1 ! opusenc ! %2 ! "
                          "opusdec ! fakesink name=decoded signal-handoffs=true sync=false")
        .arg(kFrames)
        .arg(QLatin1String(middle));
}

constexpr const char* kVideoWire = "conclavesframeenc name=enc ! conclavevp8pay name=pay mtu=600 ! "
                                   "rtpvp8depay ! conclavesframedec name=dec";
constexpr const char* kAudioWire = "conclavesframeenc name=enc ! rtpopuspay name=pay ! "
                                   "rtpopusdepay ! conclavesframedec name=dec";

uint64_t kid(crypto::MediaContext context, uint64_t epoch)
{
    return crypto::MediaKeyId::pack(context, 3, epoch).value();
}

} // namespace

class TestMediaElements : public QObject {
    Q_OBJECT

    const crypto::SecureBuffer m_key = crypto::SecureBuffer::random(32);

private slots:
    void initTestCase()
    {
        auto ready = initialiseMedia();
        QVERIFY2(ready.ok(), ready.ok() ? "" : ready.error().message.c_str());
    }

    void videoWithTheKeyDecodesEveryFrame()
    {
        PipelineRun run(videoPath(kVideoWire));
        const uint64_t k = kid(crypto::MediaContext::Video, 7);
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), k, kSuite, m_key.view()).ok());
        QVERIFY(sframe_decrypt::addKey(run.element("dec"), k, kSuite, m_key.view()).ok());
        QVERIFY2(run.runToEnd(), qPrintable(run.error()));
        QCOMPARE(run.count("decoded"), kFrames);
        QCOMPARE(sframe_encrypt::stats(run.element("enc")).protectedFrames, uint64_t(kFrames));
        const auto received = sframe_decrypt::stats(run.element("dec"));
        QCOMPARE(received.accepted, uint64_t(kFrames));
        QCOMPARE(received.authFailed + received.unknownKid + received.malformed, uint64_t(0));
    }

    void audioWithTheKeyDecodesEveryFrame()
    {
        PipelineRun run(audioPath(kAudioWire));
        const uint64_t k = kid(crypto::MediaContext::Audio, 7);
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), k, kSuite, m_key.view()).ok());
        QVERIFY(sframe_decrypt::addKey(run.element("dec"), k, kSuite, m_key.view()).ok());
        QVERIFY2(run.runToEnd(), qPrintable(run.error()));
        const uint64_t sent = sframe_encrypt::stats(run.element("enc")).protectedFrames;
        QVERIFY(sent > 0);
        QCOMPARE(sframe_decrypt::stats(run.element("dec")).accepted, sent);
        QCOMPARE(uint64_t(run.count("decoded")), sent);
    }

    void aWrongKeyDecodesNothing()
    {
        for (const char* wire : {kVideoWire, kAudioWire}) {
            const bool video = wire == kVideoWire;
            PipelineRun run(video ? videoPath(wire) : audioPath(wire));
            const uint64_t k =
                kid(video ? crypto::MediaContext::Video : crypto::MediaContext::Audio, 1);
            const crypto::SecureBuffer other = crypto::SecureBuffer::random(32);
            QVERIFY(sframe_encrypt::setKey(run.element("enc"), k, kSuite, m_key.view()).ok());
            QVERIFY(sframe_decrypt::addKey(run.element("dec"), k, kSuite, other.view()).ok());
            QVERIFY2(run.runToEnd(), qPrintable(run.error()));
            QCOMPARE(run.count("decoded"), 0);
            const auto received = sframe_decrypt::stats(run.element("dec"));
            QCOMPARE(received.accepted, uint64_t(0));
            QCOMPARE(received.authFailed,
                     sframe_encrypt::stats(run.element("enc")).protectedFrames);
        }
    }

    void withoutAKeyNothingLeaves()
    {
        PipelineRun run(videoPath(kVideoWire));
        run.capture("pay");
        QVERIFY(sframe_decrypt::addKey(run.element("dec"), kid(crypto::MediaContext::Video, 1),
                                       kSuite, m_key.view())
                    .ok());
        QVERIFY2(run.runToEnd(), qPrintable(run.error()));
        QCOMPARE(sframe_encrypt::stats(run.element("enc")).droppedWithoutKey, uint64_t(kFrames));
        QVERIFY(run.captured("pay").isEmpty());
        QCOMPARE(run.count("decoded"), 0);
    }

    void whatCrossesTheWireIsCiphertext()
    {
        // The same stream in the clear and protected. No packet of the protected one carries
        // frame bytes from beyond the clear prefix, and a decoder fed it without SFrame decrypt
        // shows nothing of the picture (whatever libvpx makes of it is far from the real one).
        const QString source = QStringLiteral("videotestsrc num-buffers=%1 pattern=smpte ! "
                                              "video/x-raw,width=320,height=240,framerate=30/1,"
                                              "format=I420 ! vp8enc deadline=1 "
                                              "keyframe-max-dist=30 name=encoder ! ")
                                   .arg(kFrames);
        PipelineRun clear(source + QStringLiteral("vp8dec name=decoder ! fakesink"));
        clear.capture("encoder");
        clear.capture("decoder");
        QVERIFY(clear.runToEnd());
        PipelineRun run(source +
                        QStringLiteral("conclavesframeenc name=enc ! conclavevp8pay name=pay ! "
                                       "rtpvp8depay ! vp8dec name=decoder ! fakesink"));
        run.capture("pay");
        run.capture("decoder");
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), kid(crypto::MediaContext::Video, 2),
                                       kSuite, m_key.view())
                    .ok());
        run.runToEnd(); // vp8dec may also stop with an error on what it is fed
        QVERIFY(!run.captured("pay").isEmpty());
        const QByteArray wire = run.captured("pay").join();
        int leaked = 0;
        for (const QByteArray& frame : clear.captured("encoder")) {
            const QByteArray body = frame.mid(10, 24); // beyond any clear prefix
            leaked += body.size() == 24 && wire.contains(body) ? 1 : 0;
        }
        QCOMPARE(leaked, 0);
        const QByteArray picture = clear.captured("decoder").value(0);
        QVERIFY(!picture.isEmpty());
        const qsizetype luma = 320 * 240;
        for (const QByteArray& garbage : run.captured("decoder")) {
            qint64 difference = 0;
            for (qsizetype i = 0; i < luma; ++i)
                difference += qAbs(int(quint8(garbage[i])) - int(quint8(picture[i])));
            QVERIFY2(difference / luma > 16,
                     "a frame decoded without the key resembles the picture");
        }
    }

    void audioOnTheWireIsCiphertext()
    {
        const QString source = QStringLiteral("audiotestsrc num-buffers=%1 samplesperbuffer=960 ! "
                                              "audio/x-raw,rate=48000,channels=1 ! "
                                              "opusenc name=encoder ! ")
                                   .arg(kFrames);
        PipelineRun clear(source + QStringLiteral("fakesink"));
        clear.capture("encoder");
        QVERIFY(clear.runToEnd());
        PipelineRun run(source +
                        QStringLiteral("conclavesframeenc name=enc ! rtpopuspay name=pay ! "
                                       "fakesink"));
        run.capture("pay");
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), kid(crypto::MediaContext::Audio, 2),
                                       kSuite, m_key.view())
                    .ok());
        QVERIFY(run.runToEnd());
        const QByteArray wire = run.captured("pay").join();
        QVERIFY(!wire.isEmpty());
        int leaked = 0;
        for (const QByteArray& frame : clear.captured("encoder")) {
            const QByteArray body = frame.mid(1, 16); // Opus has no clear prefix at all
            leaked += body.size() == 16 && wire.contains(body) ? 1 : 0;
        }
        QCOMPARE(leaked, 0);
    }

    void audioWithoutTheKeyIsNotTheSound()
    {
        // A 440 Hz tone, decoded from the clear stream and from the protected one fed to the
        // decoder without SFrame decrypt: whatever opusdec makes of ciphertext (noise,
        // concealment, nothing) does not correlate with the tone.
        const QString source = QStringLiteral("audiotestsrc num-buffers=%1 samplesperbuffer=960 "
                                              "freq=440 ! audio/x-raw,rate=48000,channels=1 ! "
                                              "opusenc ! ")
                                   .arg(kFrames);
        const QString decoded = QStringLiteral("opusdec name=decoder ! "
                                               "audio/x-raw,format=S16LE,channels=1 ! fakesink");
        PipelineRun clear(source + decoded);
        clear.capture("decoder");
        QVERIFY(clear.runToEnd());
        PipelineRun run(source +
                        QStringLiteral("conclavesframeenc name=enc ! rtpopuspay ! "
                                       "rtpopusdepay ! ") +
                        decoded);
        run.capture("decoder");
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), kid(crypto::MediaContext::Audio, 3),
                                       kSuite, m_key.view())
                    .ok());
        run.runToEnd();
        const QByteArray tone = clear.captured("decoder").join();
        const QByteArray heard = run.captured("decoder").join();
        QVERIFY(tone.size() > 48000); // about a second of the real thing
        const qsizetype samples = std::min(tone.size(), heard.size()) / 2;
        const auto* a = reinterpret_cast<const qint16*>(tone.constData());
        const auto* b = reinterpret_cast<const qint16*>(heard.constData());
        double ab = 0, aa = 0, bb = 0;
        for (qsizetype i = 0; i < samples; ++i) {
            ab += double(a[i]) * b[i];
            aa += double(a[i]) * a[i];
            bb += double(b[i]) * b[i];
        }
        const double correlation = (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0;
        QVERIFY2(std::abs(correlation) < 0.3,
                 qPrintable(QStringLiteral("correlation with the tone: %1").arg(correlation)));
    }

    void payloaderSplitsToTheMtuAndMarksTheLastPacket()
    {
        PipelineRun run(QStringLiteral("videotestsrc num-buffers=10 pattern=snow ! "
                                       "video/x-raw,width=640,height=480,framerate=30/1 ! "
                                       "vp8enc deadline=1 target-bitrate=4000000 name=encoder ! "
                                       "conclavevp8pay name=pay mtu=500 ! fakesink"));
        run.capture("encoder");
        run.capture("pay");
        QVERIFY(run.runToEnd());
        const auto& frames = run.captured("encoder");
        const auto& packets = run.captured("pay");
        QVERIFY(packets.size() > frames.size()); // snow at 4 Mbit/s does not fit in 500 bytes
        int frameIndex = 0;
        QByteArray rebuilt;
        for (const QByteArray& packet : packets) {
            QVERIFY(packet.size() <= 500);
            const int headerSize = 12;
            const bool marker = (quint8(packet[1]) & 0x80) != 0;
            const quint8 descriptor = quint8(packet[headerSize]);
            QCOMPARE(descriptor, rebuilt.isEmpty() ? vp8_payloader::kStartOfFrame
                                                   : vp8_payloader::kContinuation);
            rebuilt += packet.mid(headerSize + 1);
            if (marker) {
                QCOMPARE(rebuilt, frames.at(frameIndex++));
                rebuilt.clear();
            }
        }
        QCOMPARE(frameIndex, frames.size());
    }

    void decryptKeepsARetiredKeyUntilItsTime()
    {
        PipelineRun run(videoPath(kVideoWire));
        const uint64_t k = kid(crypto::MediaContext::Video, 4);
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), k, kSuite, m_key.view()).ok());
        QVERIFY(sframe_decrypt::addKey(run.element("dec"), k, kSuite, m_key.view()).ok());
        sframe_decrypt::retireKey(run.element("dec"), k,
                                  std::chrono::system_clock::now() - std::chrono::seconds(1));
        QVERIFY(run.runToEnd());
        QCOMPARE(run.count("decoded"), 0); // already past its time: wiped before the first frame
        QCOMPARE(sframe_decrypt::stats(run.element("dec")).unknownKid, uint64_t(kFrames));
    }

    void linksNeverAskTheRouterToOpenPorts()
    {
        // libnice's default is UPnP on: a search of the local network for a router to open
        // ports on. Every link's webrtcbin comes from addWebrtcbin, which turns it off.
        GstElement* pipeline = gst_pipeline_new(nullptr);
        GstElement* webrtc = addWebrtcbin(pipeline, MediaOptions{});
        GObject* ice = nullptr;
        g_object_get(webrtc, "ice-agent", &ice, nullptr);
        QVERIFY(ice);
        GObject* agent = nullptr;
        g_object_get(ice, "agent", &agent, nullptr);
        QVERIFY(agent);
        gboolean upnp = TRUE;
        g_object_get(agent, "upnp", &upnp, nullptr);
        QVERIFY(!upnp);
        g_object_unref(agent);
        g_object_unref(ice);
        gst_object_unref(pipeline);
    }

    void theDtlsCertificateMadeAheadIsTheOneEveryLinkUses()
    {
        // prepareDtlsCertificate saves a newcomer the certificate's making at admission only
        // because GStreamer makes one certificate per process, on the first DTLS element, and
        // every later one shares it; were that to change, the warm-up would no longer help.
        prepareDtlsCertificate();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        const auto pemOf = [] {
            GstElement* dtls = gst_element_factory_make("dtlsdec", nullptr);
            gchar* pem = nullptr;
            g_object_get(dtls, "pem", &pem, nullptr);
            const QByteArray out(pem);
            g_free(pem);
            gst_object_unref(gst_object_ref_sink(dtls));
            return out;
        };
        const QByteArray first = pemOf();
        QVERIFY(first.contains("BEGIN CERTIFICATE"));
        QCOMPARE(pemOf(), first);
    }

    void decryptKeepsARetiredKeyRetiredWhateverIsInstalledAfter()
    {
        // An epoch change retires the old key and installs the new one; a peer link installing
        // every key it holds again (or a late one) must not revive the old key past its time.
        PipelineRun run(videoPath(kVideoWire));
        const uint64_t old = kid(crypto::MediaContext::Video, 4);
        const uint64_t next = kid(crypto::MediaContext::Video, 5);
        const crypto::SecureBuffer nextKey = crypto::SecureBuffer::random(32);
        GstElement* dec = run.element("dec");
        QVERIFY(sframe_encrypt::setKey(run.element("enc"), old, kSuite, m_key.view()).ok());
        QVERIFY(sframe_decrypt::addKey(dec, old, kSuite, m_key.view()).ok());
        sframe_decrypt::retireKey(dec, old,
                                  std::chrono::system_clock::now() - std::chrono::seconds(1));
        (void)sframe_decrypt::addKey(dec, old, kSuite, m_key.view()); // the re-install
        QVERIFY(sframe_decrypt::addKey(dec, next, kSuite, nextKey.view()).ok());
        QVERIFY(run.runToEnd());
        QCOMPARE(run.count("decoded"), 0);
        QCOMPARE(sframe_decrypt::stats(dec).unknownKid, uint64_t(kFrames));
        QCOMPARE(sframe_decrypt::stats(dec).accepted, uint64_t(0));
        // Once wiped, the old key cannot come back at all.
        const auto revived = sframe_decrypt::addKey(dec, old, kSuite, m_key.view());
        QVERIFY(!revived.ok());
        QCOMPARE(revived.error().code, std::string("sframe.key_retired"));
    }
};

QTEST_GUILESS_MAIN(TestMediaElements)
#include "tst_mediaelements.moc"
