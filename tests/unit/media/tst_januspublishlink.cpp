// SPDX-License-Identifier: GPL-3.0-or-later
// JanusPublishLink before any Janus is involved: every local stream it is built for reaches
// its webrtcbin's sink pad with caps - what webrtcbin needs to connect the stream to its RTP
// session once Janus answers - even when frames arrive while the link is still being built
// (the cause of a stream missing for a whole run, docs/scaling.md).

#include "KeyedTestStreams.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomPublisher.h"
#include "media/JanusPublishLink.h"
#include "media/MediaElements.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <QDeadlineTimer>
#include <QTest>

#include <gst/gst.h>

#include <atomic>
#include <cstring>

using namespace conclave;
using media::StreamKind;

namespace {

/// Widens the window in which the link is half built: when the link adds its second queue
/// (the camera's; audio is then fully linked to its tee), waits until the audio queue has
/// pushed a frame towards webrtcbin, as a live microphone does at any moment.
struct SlowBuild {
    GstElement* audioQueue = nullptr;
    std::atomic<int> audioPushes{0};
    bool waited = false;
    bool sawPushInWindow = false;

    static GstPadProbeReturn counted(GstPad*, GstPadProbeInfo*, gpointer self)
    {
        ++static_cast<SlowBuild*>(self)->audioPushes;
        return GST_PAD_PROBE_OK;
    }

    static void added(GstBin*, GstElement* element, gpointer data)
    {
        auto* self = static_cast<SlowBuild*>(data);
        GstElementFactory* factory = gst_element_get_factory(element);
        if (!factory || std::strcmp(GST_OBJECT_NAME(factory), "queue") != 0)
            return;
        if (!self->audioQueue) {
            self->audioQueue = element;
            GstPad* src = gst_element_get_static_pad(element, "src");
            gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, counted, self, nullptr);
            gst_object_unref(src);
            return;
        }
        if (self->waited)
            return;
        self->waited = true;
        const QDeadlineTimer deadline(3000);
        while (self->audioPushes == 0 && !deadline.hasExpired())
            g_usleep(5000);
        self->sawPushInWindow = self->audioPushes > 0;
        g_usleep(50000); // that frame's way on into the payloader and webrtcbin's pad
    }
};

GstElement* webrtcbinIn(GstElement* pipeline)
{
    GstElement* found = nullptr;
    GstIterator* it = gst_bin_iterate_elements(GST_BIN(pipeline));
    GValue item = G_VALUE_INIT;
    while (!found && gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
        auto* element = GST_ELEMENT(g_value_get_object(&item));
        GstElementFactory* factory = gst_element_get_factory(element);
        if (factory && std::strcmp(GST_OBJECT_NAME(factory), "webrtcbin") == 0)
            found = GST_ELEMENT(gst_object_ref(element));
        g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(it);
    return found;
}

bool padGetsCaps(GstElement* element, const char* name, int ms)
{
    GstPad* pad = gst_element_get_static_pad(element, name);
    if (!pad)
        return false;
    const QDeadlineTimer deadline(ms);
    while (!gst_pad_has_current_caps(pad) && !deadline.hasExpired())
        QTest::qWait(20);
    const bool has = gst_pad_has_current_caps(pad);
    gst_object_unref(pad);
    return has;
}

} // namespace

class TestJanusPublishLink : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const auto ready = media::initialiseMedia();
        QVERIFY2(ready, ready ? "" : ready.error().message.c_str());
    }

    void aFrameArrivingWhileTheLinkIsBuiltStillReachesWebrtcbin()
    {
        GstElement* pipeline = gst_pipeline_new(nullptr);
        auto local = testsupport::keyedTestStreams(pipeline);
        QVERIFY(local);
        QVERIFY(gst_element_set_state(pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);

        // Never opened: the link is only built here, nothing is published.
        janus::JanusConnection connection(QUrl(QStringLiteral("wss://127.0.0.1:1/")), {});
        janus::VideoRoomPublisher publisher(connection);
        SlowBuild slow;
        const gulong hook =
            g_signal_connect(pipeline, "element-added", G_CALLBACK(SlowBuild::added), &slow);
        {
            media::JanusPublishLink link(pipeline, *local, media::MediaOptions{}, publisher);
            g_signal_handler_disconnect(pipeline, hook);
            QVERIFY2(slow.sawPushInWindow, "the microphone sent nothing while the link was built");
            GstElement* webrtc = webrtcbinIn(pipeline);
            QVERIFY(webrtc);
            // Before the fix the audio pad stayed without caps: its frame met a flushing pad
            // (webrtcbin still in NULL) and the queue feeding it stopped for good.
            const bool audio = padGetsCaps(webrtc, "sink_0", 3000);
            const bool camera = padGetsCaps(webrtc, "sink_1", 3000);
            gst_object_unref(webrtc);
            QVERIFY2(audio, "the audio stream never reached webrtcbin (no caps on sink_0)");
            QVERIFY2(camera, "the camera stream never reached webrtcbin (no caps on sink_1)");
        }
        gst_element_set_state(pipeline, GST_STATE_NULL);
        local.reset();
        gst_object_unref(pipeline);
    }
};

QTEST_GUILESS_MAIN(TestJanusPublishLink)
#include "tst_januspublishlink.moc"
