// SPDX-License-Identifier: GPL-3.0-or-later
// LocalStreams' keyframe requests, in a playing pipeline with test sources and a key set:
// requests coming up from the links (each receiver's PLI, passed on by Janus) reach the encoder
// at most once per LocalStreams::kKeyframeRequestGap - those within it are held and passed when
// it ends, never lost; the sender's own (a gate opening) are not held.
#include "KeyedTestStreams.h"
#include "PipelineWalk.h"
#include "media/MediaElements.h"

#include <QElapsedTimer>
#include <QtTest>

#include <gst/video/video-event.h>

#include <atomic>

using namespace conclave;
using media::StreamKind;

class TestLocalStreams : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const auto ready = media::initialiseMedia();
        QVERIFY2(ready, ready ? "" : ready.error().message.c_str());
    }

    void keyframeRequestsFromTheLinksMakeOneKeyframePerGap()
    {
        GstElement* pipeline = gst_pipeline_new(nullptr);
        auto made = testsupport::keyedTestStreams(pipeline);
        QVERIFY(made);
        media::LocalStreams& local = *made;
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
        gst_pad_add_probe(encrypted, GST_PAD_PROBE_TYPE_BUFFER, testsupport::countKeyframes,
                          &keyframes, nullptr);
        gst_object_unref(encrypted);
        QVERIFY(gst_element_set_state(pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
        QTRY_VERIFY_WITH_TIMEOUT(keyframes >= 1, 5000); // the first frame
        QTest::qWait(300);

        const auto ask = [&](int link) {
            gst_pad_send_event(outputs[link], gst_video_event_new_upstream_force_key_unit(
                                                  GST_CLOCK_TIME_NONE, TRUE, 0));
        };
        const int gap = int(media::LocalStreams::kKeyframeRequestGap.count());
        // Requests from both links every 100 ms (each frame) over three gaps: the first is
        // passed at once, the others held and passed one per gap (the last when the gap after
        // it ends) - about four keyframes, not 15 - and every passed one makes a keyframe.
        const uint64_t before = keyframes;
        const int requests = 3 * gap / 100;
        QElapsedTimer asking;
        asking.start();
        for (int i = 0; i < requests; ++i) {
            ask(i % 2);
            QTest::qWait(100);
        }
        const qint64 spent = asking.elapsed();
        QTest::qWait(gap + 300); // the last held one passed, and its keyframe made
        const uint64_t passed = local.keyframeRequestsPassed(StreamKind::Camera);
        QCOMPARE(local.keyframeRequestsAsked(StreamKind::Camera), uint64_t(requests));
        QVERIFY2(passed >= 2 && passed <= uint64_t(spent / gap + 2),
                 qPrintable(QStringLiteral("%1 passed in %2 ms").arg(passed).arg(spent)));
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, passed, 2000);

        // A request within the gap is held, not lost: its keyframe comes when the gap ends.
        QTest::qWait(gap + 100);
        ask(0);
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, passed + 1, 1000);
        ask(1);
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, passed + 2, gap + 500);
        QCOMPARE(local.keyframeRequestsPassed(StreamKind::Camera), passed + 2);

        // The sender's own request (a gate opening) goes straight to the encoder.
        QTest::qWait(100);
        ask(0); // within the gap: held
        local.requestKeyframe(StreamKind::Camera);
        QTRY_COMPARE_WITH_TIMEOUT(keyframes - before, passed + 3, 1000);
        QCOMPARE(local.keyframeRequestsPassed(StreamKind::Camera), passed + 2);

        gst_element_set_state(pipeline, GST_STATE_NULL);
        for (int i = 0; i < 2; ++i)
            local.releaseOutput(StreamKind::Camera, outputs[i]);
        made.reset();
        gst_object_unref(pipeline);
    }

    void audioFramesAreAsLongAsTheOptionsSay()
    {
        // Load mode sends 60 ms of audio per frame (a third of the packets of the usual 20 ms),
        // so one machine can hold dozens of members: the option must reach the encoder.
        for (const int milliseconds : {20, 60}) {
            GstElement* pipeline = gst_pipeline_new(nullptr);
            auto made = testsupport::keyedTestStreams(pipeline, milliseconds);
            QVERIFY(made);
            GstElement* sink = gst_element_factory_make("fakesink", nullptr);
            g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
            gst_bin_add(GST_BIN(pipeline), sink);
            GstPad* output = made->requestOutput(StreamKind::Audio);
            GstPad* sinkPad = gst_element_get_static_pad(sink, "sink");
            QCOMPARE(gst_pad_link(output, sinkPad), GST_PAD_LINK_OK);
            std::atomic<uint64_t> longest{0}; // nanoseconds
            gst_pad_add_probe(
                sinkPad, GST_PAD_PROBE_TYPE_BUFFER,
                [](GstPad*, GstPadProbeInfo* info, gpointer out) {
                    const GstClockTime d = GST_BUFFER_DURATION(GST_PAD_PROBE_INFO_BUFFER(info));
                    auto& seen = *static_cast<std::atomic<uint64_t>*>(out);
                    if (GST_CLOCK_TIME_IS_VALID(d) && d > seen)
                        seen = d;
                    return GST_PAD_PROBE_OK;
                },
                &longest, nullptr);
            gst_object_unref(sinkPad);
            QVERIFY(gst_element_set_state(pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
            QTRY_COMPARE_WITH_TIMEOUT(longest.load(), uint64_t(milliseconds) * GST_MSECOND, 3000);
            QTest::qWait(200);
            QCOMPARE(longest.load(), uint64_t(milliseconds) * GST_MSECOND);
            gst_element_set_state(pipeline, GST_STATE_NULL);
            made->releaseOutput(StreamKind::Audio, output);
            made.reset();
            gst_object_unref(pipeline);
        }
    }
};

QTEST_GUILESS_MAIN(TestLocalStreams)
#include "tst_localstreams.moc"
