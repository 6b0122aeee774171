// SPDX-License-Identifier: GPL-3.0-or-later
// Janus sees only ciphertext. Member A publishes SFrame-protected test media through a real
// Janus; member B subscribes through JanusSubscribeLink into A's RemoteMember branch. Captured:
// at A, every encoded frame before encryption (the encryptor's sink pad); at B, everything
// Janus forwarded - each RTP packet as it leaves B's webrtcbin, and each frame after the
// branch's depayloader, before the decryptor. No 16 bytes of any plaintext frame beyond its
// clear prefix (VP8: frame tag and, for keyframes, start code and size; Opus: none) occur
// anywhere in the forwarded bytes; every forwarded frame is an SFrame frame under A's KID and
// opens under A's key into a frame A encoded - so what was searched is really A's media.
#include "JanusAwait.h"
#include "JanusMedia.h"
#include "crypto/ClearPrefix.h"
#include "crypto/SframeHeader.h"
#include "crypto/SframeReceiver.h"
#include "media/JanusSubscribeLink.h"
#include "media/RemoteMember.h"
#include "media/SframeDecrypt.h"

#include <QDeadlineTimer>
#include <QTest>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using namespace conclave;
using namespace conclave::media;
using conclave::testsupport::await;
using conclave::testsupport::JanusMedia;
using conclave::testsupport::mediaKid;
using conclave::testsupport::why;

namespace {

constexpr size_t kWindow = 16;
constexpr uint32_t kIndexA = 1;

crypto::ByteView viewOf(const std::string& bytes)
{
    return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

/// Byte strings seen at one point, per stream kind, while `open` (any streaming thread).
struct Capture {
    std::mutex mutex;
    bool open = true;
    std::map<StreamKind, std::vector<std::string>> frames;

    void add(StreamKind kind, GstBuffer* buffer)
    {
        GstMapInfo map;
        if (!gst_buffer_map(buffer, &map, GST_MAP_READ))
            return;
        std::string bytes(reinterpret_cast<const char*>(map.data), map.size);
        gst_buffer_unmap(buffer, &map);
        std::lock_guard lock(mutex);
        if (open)
            frames[kind].push_back(std::move(bytes));
    }
    size_t count(StreamKind kind)
    {
        std::lock_guard lock(mutex);
        return frames[kind].size();
    }
    void close()
    {
        std::lock_guard lock(mutex);
        open = false;
    }
};

/// A probe's data: where to put what passes, as which stream.
struct Tap {
    Capture* capture;
    StreamKind kind;
};

GstPadProbeReturn tap(GstPad*, GstPadProbeInfo* info, gpointer data)
{
    auto* t = static_cast<Tap*>(data);
    if ((info->type & GST_PAD_PROBE_TYPE_BUFFER) != 0)
        t->capture->add(t->kind, GST_PAD_PROBE_INFO_BUFFER(info));
    if (GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
        (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) != 0)
        for (guint i = 0; i < gst_buffer_list_length(list); ++i)
            t->capture->add(t->kind, gst_buffer_list_get(list, i));
    return GST_PAD_PROBE_OK;
}

void addTap(GstPad* pad, Tap* t)
{
    gst_pad_add_probe(pad,
                      GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      tap, t, nullptr);
}

/// Every 16-byte window of every string.
std::unordered_set<std::string> windowsOf(const std::vector<const std::vector<std::string>*>& sets)
{
    std::unordered_set<std::string> out;
    for (const auto* strings : sets)
        for (const std::string& s : *strings)
            for (size_t i = 0; i + kWindow <= s.size(); ++i)
                out.insert(s.substr(i, kWindow));
    return out;
}

/// The clear prefix of a frame of stream `kind` (a frame too short for one: the whole frame).
size_t prefixOf(StreamKind kind, const std::string& frame)
{
    const auto length = crypto::ClearPrefix::length(traitsOf(kind).codec, viewOf(frame));
    return length ? *length : frame.size();
}

struct Search {
    size_t windows = 0; ///< plaintext windows looked for
    size_t found = 0;   ///< of which in the set
};

/// Looks for each 16-byte window of each frame's bytes beyond its clear prefix in `set`.
Search search(StreamKind kind, const std::vector<std::string>& frames,
              const std::unordered_set<std::string>& set)
{
    Search out;
    for (const std::string& frame : frames)
        for (size_t i = prefixOf(kind, frame); i + kWindow <= frame.size(); ++i) {
            ++out.windows;
            out.found += set.count(frame.substr(i, kWindow));
        }
    return out;
}

} // namespace

class TestJanusCiphertext : public QObject {
    Q_OBJECT

    JanusMedia m_media;

private slots:
    void initTestCase()
    {
        const QString failure = m_media.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void janusForwardsNoPlaintext()
    {
        // The captures outlive both members' pipelines (declared first, destroyed last).
        Capture plain;
        Capture packets;
        Capture forwarded;
        std::vector<std::unique_ptr<Tap>> taps;

        auto a = m_media.publish('A', kIndexA);
        QVERIFY2(a, "member A could not publish");
        // (a) A's encoded frames before encryption.
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
            taps.push_back(std::make_unique<Tap>(Tap{&plain, kind}));
            GstPad* encoded = gst_element_get_static_pad(a->local->encryptor(kind), "sink");
            addTap(encoded, taps.back().get());
            gst_object_unref(encoded);
        }

        auto b = m_media.view('B');
        QVERIFY2(b, "member B could not join");
        // (b) What Janus forwarded to B: every RTP packet on the subscribe link's pads, and
        // every frame after the depayloader of A's branch, before its decryptor.
        RemoteMember memberA(b->pipeline.element, m_media.options(), kIndexA, {});
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
            memberA.setKey(kind, mediaKid(kind, kIndexA), testsupport::kMediaSuite, a->key.view());
            taps.push_back(std::make_unique<Tap>(Tap{&packets, kind}));
            taps.push_back(std::make_unique<Tap>(Tap{&forwarded, kind}));
        }
        std::mutex tapsMutex;
        std::set<StreamKind> tapped;
        auto tapOf = [&](Capture& c, StreamKind kind) {
            for (auto& t : taps)
                if (t->capture == &c && t->kind == kind)
                    return t.get();
            return static_cast<Tap*>(nullptr);
        };
        JanusSubscribeLink link(
            b->pipeline.element, m_media.options(), *b->subscriber,
            [&](uint64_t feed, StreamKind kind, GstPad* pad) {
                if (feed != a->feed)
                    return; // (B subscribes to A only)
                if (kind == StreamKind::Screen) {
                    memberA.attach(kind, pad); // nothing flows: A shares no screen
                    return;
                }
                addTap(pad, tapOf(packets, kind));
                memberA.attach(kind, pad);
                GstElement* decryptor = testsupport::branchDecryptor(pad);
                if (!decryptor)
                    return;
                GstPad* sealed = gst_element_get_static_pad(decryptor, "sink");
                addTap(sealed, tapOf(forwarded, kind));
                gst_object_unref(sealed);
                gst_object_unref(decryptor);
                std::lock_guard lock(tapsMutex);
                tapped.insert(kind);
            },
            [&](uint64_t, StreamKind kind, GstPad*) { memberA.detach(kind); });
        const auto subscribed = await<void>([&](auto done) {
            b->subscriber->join(janus::VideoRoomJoin{m_media.room().id, b->feed, b->token},
                                b->publisher->privateId(), {a->feed}, done);
        });
        QVERIFY2(subscribed, qPrintable(why(subscribed)));

        // About 3 s of media: 30 camera frames (10 fps), 150 audio frames (20 ms).
        auto progress = [&] {
            std::lock_guard lock(tapsMutex);
            return QStringLiteral("B got %1 audio and %2 camera frames from Janus (%3 and %4 RTP "
                                  "packets; pads handed over: %5 of 2; answers %6) %7")
                .arg(forwarded.count(StreamKind::Audio))
                .arg(forwarded.count(StreamKind::Camera))
                .arg(packets.count(StreamKind::Audio))
                .arg(packets.count(StreamKind::Camera))
                .arg(tapped.size())
                .arg(link.answers())
                .arg(link.lastProblem());
        };
        auto enough = [&] {
            return forwarded.count(StreamKind::Camera) >= 30 &&
                   forwarded.count(StreamKind::Audio) >= 150;
        };
        QDeadlineTimer deadline(15000);
        while (!enough() && !deadline.hasExpired())
            QTest::qWait(20);
        if (!enough())
            qWarning("B's receive pads: %s\nJanus's log:\n%s",
                     qPrintable(testsupport::describeReceivePads(b->pipeline.element)),
                     qPrintable(m_media.janus().logTail(40)));
        QVERIFY2(enough(), qPrintable(progress()));
        // Forwarded frames were encoded before they left A: closing the forwarded captures
        // first keeps every captured forwarded frame's plaintext among A's captured frames.
        forwarded.close();
        packets.close();
        plain.close();
        {
            std::lock_guard lock(tapsMutex);
            QCOMPARE(tapped, (std::set<StreamKind>{StreamKind::Audio, StreamKind::Camera}));
        }

        const auto everythingForwarded =
            windowsOf({&forwarded.frames[StreamKind::Audio], &forwarded.frames[StreamKind::Camera],
                       &packets.frames[StreamKind::Audio], &packets.frames[StreamKind::Camera]});
        crypto::SframeReceiver receiver; // A's keys, as B holds them
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
            QVERIFY(
                receiver.addKey(mediaKid(kind, kIndexA), testsupport::kMediaSuite, a->key.view()));
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
            const char* name = traitsOf(kind).name;
            const auto& plaintext = plain.frames[kind];
            // No plaintext window beyond the clear prefix is anywhere in what Janus forwarded.
            const Search leaked = search(kind, plaintext, everythingForwarded);
            QVERIFY2(leaked.windows > (kind == StreamKind::Camera ? 5000u : 10000u),
                     qPrintable(QStringLiteral("only %1 %2 windows to look for")
                                    .arg(leaked.windows)
                                    .arg(name)));
            QVERIFY2(leaked.found == 0,
                     qPrintable(QStringLiteral("%1 of %2 plaintext %3 windows were forwarded")
                                    .arg(leaked.found)
                                    .arg(leaked.windows)
                                    .arg(name)));

            // Every forwarded frame is SFrame under A's KID and opens under A's key into a
            // frame A encoded: the forwarded capture is A's media, protected.
            const std::set<std::string> encoded(plaintext.begin(), plaintext.end());
            std::vector<std::string> opened;
            for (const std::string& frame : forwarded.frames[kind]) {
                const size_t prefix = prefixOf(kind, frame);
                const auto header = crypto::SframeHeader::decode(viewOf(frame).subspan(prefix));
                QVERIFY2(header, qPrintable(why(header)));
                QCOMPARE(header->kid, mediaKid(kind, kIndexA));
                const auto clear = receiver.unprotect(traitsOf(kind).codec, viewOf(frame));
                QVERIFY2(clear, qPrintable(why(clear)));
                opened.emplace_back(clear->begin(), clear->end());
                QVERIFY2(encoded.count(opened.back()) == 1,
                         "a forwarded frame opened into something A did not encode");
            }

            // Control: the same search, over the forwarded frames once opened, finds every
            // window of the plaintext frames they carry - it finds plaintext where there is
            // some. (A control with real plaintext on the wire is not possible: without a key
            // conclavesframeenc drops frames, it has no pass-through mode.)
            const Search control = search(kind, opened, windowsOf({&opened}));
            QVERIFY(control.windows > 0);
            QCOMPARE(control.found, control.windows);
            const Search carried = search(kind, plaintext, windowsOf({&opened}));
            QVERIFY2(carried.found >= control.windows,
                     qPrintable(QStringLiteral("%1 %2 windows found in the opened frames")
                                    .arg(carried.found)
                                    .arg(name)));
            qInfo("%s: %zu plaintext frames, %zu forwarded, %zu windows searched, none "
                  "forwarded; %zu found once opened",
                  name, plaintext.size(), forwarded.frames[kind].size(), leaked.windows,
                  carried.found);
        }
        // B's own branch opened and decoded A's frames with none failing.
        for (const StreamStats& s : memberA.stats()) {
            if (s.kind == StreamKind::Screen)
                continue;
            QCOMPARE(s.decryptFailures, uint64_t(0));
            QVERIFY(s.framesDecoded > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestJanusCiphertext)
#include "tst_janus_ciphertext.moc"
