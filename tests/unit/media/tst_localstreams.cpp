// SPDX-License-Identifier: GPL-3.0-or-later
// LocalStreams' keyframe requests, in a playing pipeline with test sources and a key set:
// requests coming up from the links (each receiver's PLI, passed on by Janus) within
// LocalStreams::kKeyframeRequestGap of each other make the encoder send one keyframe, not one
// each; one after the gap makes another; the encoder's own (a gate opening) are not held back.
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "media/LocalStreams.h"
#include "media/MediaElements.h"
#include "media/SframeEncrypt.h"

#include <QtTest>

#include <gst/video/video-event.h>

#include <atomic>

using namespace conclave;
using media::StreamKind;

namespace {

GstPadProbeReturn countKeyframe(GstPad*, GstPadProbeInfo* info, gpointer counter)
{
    if (GstBuffer* b = GST_PAD_PROBE_INFO_BUFFER(info);
        b && !GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT))
        ++*static_cast<std::atomic<uint64_t>*>(counter);
    return GST_PAD_PROBE_OK;
}

} // namespace

class TestLocalStreams : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const auto ready = media::initialiseMedia();
        QVERIFY2(ready, ready ? "" : ready.error().message.c_str());
    }

    void keyframeRequestsFromTheLinksTogetherMakeOneKeyframe()
    {
        media::MediaOptions options;
        options.testSources = true;
        options.width = 160;
        options.height = 120;
        options.framesPerSecond = 10;
        options.videoBitrate = 100000;
        GstElement* pipeline = gst_pipeline_new(nullptr);
        auto made = media::LocalStreams::create(pipeline, options);
        QVERIFY(made);
        media::LocalStreams& local = **made;
        const auto key = crypto::SecureBuffer::random(32);
        const uint64_t kid =
            crypto::MediaKeyId::pack(media::traitsOf(StreamKind::Camera).context, 0, 1).value();
        QVERIFY(media::sframe_encrypt::setKey(local.encryptor(StreamKind::Camera), kid,
                                              crypto::CipherSuite::ChaCha20Poly1305Sha256,
                                              key.view()));
        // Two links' outputs, as two peers (or Janus for many) would hold.
        GstElement* sinks[2];
        GstPad* outputs[2];
        for (int i = 0; i < 2; ++i) {
            sinks[i] = gst_element_factory_make("fakesink", nullptr);
            g_object_set(sinks[i], "sync", FALSE, "async", FALSE, nullptr);
            gst_bin_add(GST_BIN(pipeline), sinks[i]);
            outputs[i] = local.requestOutput(StreamKind::Camera);
            GstPad* sink = gst_element_get_static_pad(sinks[i], "sink");
            QCOMPARE(gst_pad_link(outputs[i], sink), GST_PAD_LINK_OK);
            gst_object_unref(sink);
        }
        std::atomic<uint64_t> keyframes{0};
        GstPad* encrypted = gst_element_get_static_pad(local.encryptor(StreamKind::Camera), "sink");
        gst_pad_add_probe(encrypted, GST_PAD_PROBE_TYPE_BUFFER, countKeyframe, &keyframes, nullptr);
        gst_object_unref(encrypted);
        QVERIFY(gst_element_set_state(pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
        QTRY_VERIFY_WITH_TIMEOUT(keyframes >= 1, 5000); // the first frame
        QTest::qWait(300);

        const auto ask = [&](int link) {
            gst_pad_send_event(outputs[link], gst_video_event_new_upstream_force_key_unit(
                                                  GST_CLOCK_TIME_NONE, TRUE, 0));
        };
        // Six requests from both links over 500 ms (five frames): one keyframe.
        const uint64_t before = keyframes;
        for (int i = 0; i < 6; ++i) {
            ask(i % 2);
            QTest::qWait(100);
        }
        QTest::qWait(300);
        QCOMPARE(keyframes - before, uint64_t(1));
        QCOMPARE(local.keyframeRequestsAsked(StreamKind::Camera), uint64_t(6));
        QCOMPARE(local.keyframeRequestsPassed(StreamKind::Camera), uint64_t(1));

        // After the gap a request makes another keyframe.
        QTest::qWait(int(media::LocalStreams::kKeyframeRequestGap.count()));
        ask(1);
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, uint64_t(2), 1000);
        QCOMPARE(local.keyframeRequestsPassed(StreamKind::Camera), uint64_t(2));

        // The sender's own request (a gate opening) goes straight to the encoder.
        ask(0); // within the gap: held back
        local.requestKeyframe(StreamKind::Camera);
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, uint64_t(3), 1000);
        QCOMPARE(local.keyframeRequestsPassed(StreamKind::Camera), uint64_t(2));

        gst_element_set_state(pipeline, GST_STATE_NULL);
        for (int i = 0; i < 2; ++i)
            local.releaseOutput(StreamKind::Camera, outputs[i]);
        made->reset();
        gst_object_unref(pipeline);
    }
};

QTEST_GUILESS_MAIN(TestLocalStreams)
#include "tst_localstreams.moc"
