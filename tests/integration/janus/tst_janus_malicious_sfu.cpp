// SPDX-License-Identifier: GPL-3.0-or-later
// A Janus that replays, forges or re-labels frames is caught, and nothing of it is decoded.
// Members A and C publish SFrame-protected test media through a real Janus; member B subscribes
// to both, with a RemoteMember per member (A's keys, C's keys). Between B's subscribe link and
// those branches sits FakeSfu: it takes every frame Janus forwarded (depayloaded) and delivers
// frames to the branches as new RTP (payloaded again, fresh sequence numbers) - all an SFU can
// do to a subscriber. It acts as a malicious SFU would:
//  - to A's branch, alongside A's genuine frames: earlier frames of A's again, same bytes
//    (replay - three frames back, and the first frame once past the 128-counter window); frames
//    with a valid SFrame header under A's KID and random ciphertext, and genuine frames with one
//    bit flipped (in the ciphertext, or in the clear VP8 prefix Janus can read) - before the
//    genuine frame, so their counter is fresh (authFailed);
//  - to C's branch, instead of C's frames, A's frames: as they are (A's KID: no key for it in
//    C's branch) and with the header's KID rewritten to C's (authFailed) - A's stream under
//    C's name, a whole feed substituted by another valid member's.
// Each is counted for its reason by the decryptor (sframe_decrypt::stats; RemoteMember::stats
// agrees), none is decoded, and every genuine frame of A's is decoded alongside - decoded
// counts equal the genuine frames delivered. Then FakeSfu turns honest and C's own frames
// decode in C's branch (it could decode, it was given nothing that was C's).
#include "JanusAwait.h"
#include "JanusMedia.h"
#include "crypto/ClearPrefix.h"
#include "crypto/SframeHeader.h"
#include "media/JanusSubscribeLink.h"
#include "media/RemoteMember.h"
#include "media/SframeDecrypt.h"

#include <QDeadlineTimer>
#include <QStringList>
#include <QTest>

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace conclave;
using namespace conclave::media;
using conclave::testsupport::await;
using conclave::testsupport::JanusMedia;
using conclave::testsupport::mediaKid;
using conclave::testsupport::why;

namespace {

constexpr uint32_t kIndexA = 1;
constexpr uint32_t kIndexC = 2;

using Stream = std::pair<uint64_t, StreamKind>; ///< (feed, kind)

/// What FakeSfu delivered to one member's branch of one stream kind.
struct Delivered {
    uint64_t genuine = 0;    ///< the member's own frames, unchanged and once
    uint64_t replayed = 0;   ///< earlier genuine frames again, same bytes
    uint64_t forged = 0;     ///< valid header under the member's KID, random ciphertext
    uint64_t flipped = 0;    ///< a genuine frame with one bit flipped, before the genuine one
    uint64_t foreign = 0;    ///< another member's frame as it is (its own KID)
    uint64_t relabelled = 0; ///< another member's frame with the KID rewritten to this member's
};

/// The malicious SFU, at the one place it acts on a subscriber: the frames inside the RTP it
/// forwards. Janus's pads end in depayloader ! appsink (inlets); each member's branch starts at
/// appsrc ! payloader (outlets) whose src pad is the transport pad RemoteMember::attach takes.
/// Keyframe requests from the branches are not passed back to Janus (the test asks C's
/// encoder itself when it needs one).
class FakeSfu {
public:
    FakeSfu(uint64_t victim, uint64_t other) : m_victim(victim), m_other(other) {}
    FakeSfu(const FakeSfu&) = delete;
    FakeSfu& operator=(const FakeSfu&) = delete;

    /// The way into `feed`'s member's branch for stream `kind`: attach the returned pad.
    GstPad* addOutlet(GstElement* pipeline, uint64_t feed, StreamKind kind)
    {
        const bool audio = kind == StreamKind::Audio;
        GstElement* source = gst_element_factory_make("appsrc", nullptr);
        g_object_set(source, "is-live", TRUE, "format", GST_FORMAT_TIME, "do-timestamp", TRUE,
                     nullptr);
        GstElement* payloader =
            gst_element_factory_make(audio ? "rtpopuspay" : "conclavevp8pay", nullptr);
        g_object_set(payloader, "pt", guint(traitsOf(kind).payloadType), "mtu", guint(1200),
                     nullptr);
        gst_bin_add_many(GST_BIN(pipeline), source, payloader, nullptr);
        gst_element_link(source, payloader);
        std::lock_guard lock(m_mutex);
        m_outlets[{feed, kind}] = Outlet{source, payloader, false};
        return gst_element_get_static_pad(payloader, "src");
    }
    /// Once the outlet's pad is attached: sets it going.
    void startOutlet(uint64_t feed, StreamKind kind)
    {
        std::lock_guard lock(m_mutex);
        const Outlet& o = m_outlets.at({feed, kind});
        gst_element_sync_state_with_parent(o.payloader);
        gst_element_sync_state_with_parent(o.source);
    }

    /// A pad of B's subscribe link carrying `feed`'s `kind` (GStreamer's thread).
    void addInlet(GstElement* pipeline, uint64_t feed, StreamKind kind, GstPad* pad)
    {
        const bool audio = kind == StreamKind::Audio;
        GstElement* depay =
            gst_element_factory_make(audio ? "rtpopusdepay" : "rtpvp8depay", nullptr);
        if (!audio) // from a keyframe on, as any receiver
            g_object_set(depay, "request-keyframe", TRUE, "wait-for-keyframe", TRUE, nullptr);
        GstElement* sink = gst_element_factory_make("appsink", nullptr);
        g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
        Inlet* inlet = nullptr;
        {
            std::lock_guard lock(m_mutex);
            m_inlets.push_back(std::make_unique<Inlet>(Inlet{this, feed, kind, 0}));
            inlet = m_inlets.back().get();
        }
        GstAppSinkCallbacks callbacks{};
        callbacks.new_sample = onSample;
        gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, inlet, nullptr);
        gst_bin_add_many(GST_BIN(pipeline), depay, sink, nullptr);
        gst_element_link(depay, sink);
        gst_element_sync_state_with_parent(sink);
        gst_element_sync_state_with_parent(depay);
        GstPad* depaySink = gst_element_get_static_pad(depay, "sink");
        gst_pad_link(pad, depaySink);
        gst_object_unref(depaySink);
    }

    /// From now on each feed's frames go to its own member only, unchanged (C's from its
    /// next keyframe on, so its branch can decode).
    void beHonest()
    {
        std::lock_guard lock(m_mutex);
        m_honest = true;
    }
    /// From now on nothing is delivered.
    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    /// The streams whose pads B's subscribe link handed over, for failure messages.
    QString inlets()
    {
        std::lock_guard lock(m_mutex);
        QStringList out;
        for (const auto& in : m_inlets)
            out << QStringLiteral("%1 %2 (%3 frames)")
                       .arg(in->feed == m_victim ? "A" : "C", traitsOf(in->kind).name)
                       .arg(in->frames);
        return out.join(", ");
    }
    Delivered delivered(uint64_t feed, StreamKind kind)
    {
        std::lock_guard lock(m_mutex);
        return m_delivered[{feed, kind}];
    }

private:
    struct Outlet {
        GstElement* source = nullptr;
        GstElement* payloader = nullptr;
        bool capsSet = false;
    };
    struct Inlet {
        FakeSfu* sfu;
        uint64_t feed;
        StreamKind kind;
        uint64_t frames = 0; ///< taken from Janus (under m_mutex)
    };

    static GstFlowReturn onSample(GstAppSink* sink, gpointer data)
    {
        auto* inlet = static_cast<Inlet*>(data);
        GstSample* sample = gst_app_sink_pull_sample(sink);
        if (!sample)
            return GST_FLOW_OK;
        GstBuffer* buffer = gst_sample_get_buffer(sample);
        GstMapInfo map;
        if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
            std::string frame(reinterpret_cast<const char*>(map.data), map.size);
            gst_buffer_unmap(buffer, &map);
            inlet->sfu->onFrame(*inlet, frame, gst_sample_get_caps(sample));
        }
        gst_sample_unref(sample);
        return GST_FLOW_OK;
    }

    /// Delivers `frame` to the branch of `to`'s member (caller holds m_mutex).
    void deliver(uint64_t to, StreamKind kind, const std::string& frame, GstCaps* caps)
    {
        const auto it = m_outlets.find({to, kind});
        if (it == m_outlets.end())
            return;
        Outlet& o = it->second;
        if (!o.capsSet && caps) {
            gst_app_src_set_caps(GST_APP_SRC(o.source), caps);
            o.capsSet = true;
        }
        gst_app_src_push_buffer(GST_APP_SRC(o.source),
                                gst_buffer_new_memdup(frame.data(), frame.size()));
    }

    static size_t prefixOf(StreamKind kind, const std::string& frame)
    {
        const auto length = crypto::ClearPrefix::length(
            traitsOf(kind).codec,
            crypto::ByteView(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
        return length ? *length : 0;
    }
    static std::optional<crypto::SframeHeader> headerOf(StreamKind kind, const std::string& frame)
    {
        const size_t prefix = prefixOf(kind, frame);
        const auto header = crypto::SframeHeader::decode(crypto::ByteView(
            reinterpret_cast<const uint8_t*>(frame.data()) + prefix, frame.size() - prefix));
        return header ? std::optional(*header) : std::nullopt;
    }

    void onFrame(Inlet& inlet, const std::string& frame, GstCaps* caps)
    {
        const uint64_t feed = inlet.feed;
        const StreamKind kind = inlet.kind;
        std::lock_guard lock(m_mutex);
        ++inlet.frames;
        if (m_stopped)
            return;
        const bool video = kind != StreamKind::Audio;
        if (feed == m_other) {
            // C's own frames: withheld while A's stand in for them; then from a keyframe on.
            auto& started = m_otherStarted[kind];
            if (!m_honest || (!started && video && (uint8_t(frame[0]) & 0x01) != 0))
                return;
            started = true;
            deliver(feed, kind, frame, caps);
            ++m_delivered[{feed, kind}].genuine;
            return;
        }
        if (feed != m_victim)
            return;
        auto& history = m_history[kind];
        auto& toA = m_delivered[{feed, kind}];
        const auto header = headerOf(kind, frame);
        const size_t n = history.size();
        if (!m_honest && header) {
            const size_t prefix = prefixOf(kind, frame);
            if (n % 4 == 1) {
                // One bit flipped - in the ciphertext, or (every other time, video) in the
                // clear prefix, which SFrame authenticates too.
                std::string altered = frame;
                const size_t at =
                    video && (n / 4) % 2 == 1
                        ? 1
                        : prefix + header->size + (frame.size() - prefix - header->size) / 2;
                altered[at] = char(uint8_t(altered[at]) ^ 0x04);
                deliver(feed, kind, altered, caps);
                ++toA.flipped;
            } else if (n % 4 == 3) {
                // A valid header under A's KID with a counter not used yet, random ciphertext.
                std::string forged = frame.substr(0, prefix);
                const auto h = crypto::SframeHeader::encode(header->kid, (uint64_t(1) << 40) + n);
                forged.append(h.begin(), h.end());
                const size_t rest = frame.size() - prefix - header->size;
                for (size_t i = 0; i < rest; ++i)
                    forged.push_back(char(m_random() & 0xff));
                deliver(feed, kind, forged, caps);
                ++toA.forged;
            }
        }
        deliver(feed, kind, frame, caps);
        ++toA.genuine;
        history.push_back(frame);
        if (m_honest || !header)
            return;
        if (n % 5 == 4) {
            deliver(feed, kind, history[n - 3], caps); // same bytes, three frames later
            ++toA.replayed;
        }
        if (n % 50 == 49) {
            deliver(feed, kind, history[0], caps); // the first frame (past the window: too old)
            ++toA.replayed;
        }
        // A's frame as C's: as it is, or with the KID rewritten to C's (which SFrame
        // authenticates: the header is additional data).
        auto& toC = m_delivered[{m_other, kind}];
        if (n % 2 == 0) {
            deliver(m_other, kind, frame, caps);
            ++toC.foreign;
        } else {
            const size_t prefix = prefixOf(kind, frame);
            std::string relabelled = frame.substr(0, prefix);
            const auto h = crypto::SframeHeader::encode(mediaKid(kind, kIndexC), header->counter);
            relabelled.append(h.begin(), h.end());
            relabelled.append(frame, prefix + header->size);
            deliver(m_other, kind, relabelled, caps);
            ++toC.relabelled;
        }
    }

    const uint64_t m_victim;
    const uint64_t m_other;
    std::mutex m_mutex; ///< every streaming thread's frames pass one at a time
    bool m_honest = false;
    bool m_stopped = false;
    std::map<Stream, Outlet> m_outlets;
    std::vector<std::unique_ptr<Inlet>> m_inlets;
    std::map<StreamKind, std::vector<std::string>> m_history; ///< A's genuine frames
    std::map<StreamKind, bool> m_otherStarted;
    std::map<Stream, Delivered> m_delivered;
    std::mt19937_64 m_random{20261207};
};

/// One member's receive branch of one stream kind as B's side counts it.
struct Seen {
    crypto::SframeReceiverStats decrypt; ///< per reason (sframe_decrypt::stats)
    StreamStats member;                  ///< as RemoteMember::stats reports it
    uint64_t decoded = 0;
};

} // namespace

class TestJanusMaliciousSfu : public QObject {
    Q_OBJECT

    JanusMedia m_media;

private slots:
    void initTestCase()
    {
        const QString failure = m_media.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void replayedForgedAndRelabelledFramesAreCaughtAndNeverDecoded()
    {
        auto a = m_media.publish('A', kIndexA);
        QVERIFY2(a, "member A could not publish");
        auto c = m_media.publish('C', kIndexC);
        QVERIFY2(c, "member C could not publish");
        FakeSfu sfu(a->feed, c->feed);
        auto b = m_media.view('B');
        QVERIFY2(b, "member B could not join");
        GstElement* pipeline = b->pipeline.element;

        // B's side: a RemoteMember per member with that member's keys, each stream's branch
        // fed by FakeSfu.
        RemoteMember memberA(pipeline, m_media.options(), kIndexA, {});
        RemoteMember memberC(pipeline, m_media.options(), kIndexC, {});
        std::map<Stream, GstElement*> decryptors; ///< each branch's, owned by the pipeline
        for (auto [member, who] : {std::pair{&memberA, a.get()}, std::pair{&memberC, c.get()}})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
                member->setKey(kind, mediaKid(kind, who->index), testsupport::kMediaSuite,
                               who->key.view());
                GstPad* pad = sfu.addOutlet(pipeline, who->feed, kind);
                member->attach(kind, pad);
                sfu.startOutlet(who->feed, kind);
                GstElement* decryptor = testsupport::branchDecryptor(pad);
                gst_object_unref(pad);
                QVERIFY(decryptor);
                // The branch (in the pipeline) keeps it while the member lives.
                gst_object_unref(decryptor);
                decryptors[{who->feed, kind}] = decryptor;
            }
        auto seen = [&](uint64_t feed, StreamKind kind) {
            Seen out;
            out.decrypt = sframe_decrypt::stats(decryptors.at({feed, kind}));
            RemoteMember& member = feed == a->feed ? memberA : memberC;
            for (const StreamStats& s : member.stats())
                if (s.kind == kind) {
                    out.member = s;
                    out.decoded = s.framesDecoded;
                }
            return out;
        };
        auto report = [&](uint64_t feed, StreamKind kind) {
            const Seen s = seen(feed, kind);
            const Delivered d = sfu.delivered(feed, kind);
            return QStringLiteral("%1 %2: delivered genuine %3 replayed %4 forged %5 flipped %6 "
                                  "foreign %7 relabelled %8; accepted %9 replay %10 authFailed "
                                  "%11 unknownKid %12 malformed %13 decoded %14")
                .arg(feed == a->feed ? "A" : "C", traitsOf(kind).name)
                .arg(d.genuine)
                .arg(d.replayed)
                .arg(d.forged)
                .arg(d.flipped)
                .arg(d.foreign)
                .arg(d.relabelled)
                .arg(s.decrypt.accepted)
                .arg(s.decrypt.replay)
                .arg(s.decrypt.authFailed)
                .arg(s.decrypt.unknownKid)
                .arg(s.decrypt.malformed)
                .arg(s.decoded);
        };

        JanusSubscribeLink link(
            pipeline, m_media.options(), *b->subscriber,
            [&sfu, pipeline](uint64_t feed, StreamKind kind, GstPad* pad) {
                if (kind != StreamKind::Screen) // nothing flows on screen: no one shares
                    sfu.addInlet(pipeline, feed, kind, pad);
            },
            [](uint64_t, StreamKind, GstPad*) {});
        const auto subscribed = await<void>([&](auto done) {
            b->subscriber->join(janus::VideoRoomJoin{m_media.room().id, b->feed, b->token},
                                b->publisher->privateId(), {a->feed, c->feed}, done);
        });
        QVERIFY2(subscribed, qPrintable(why(subscribed)));

        // About 3 s of A's media under attack.
        auto enough = [&] {
            return sfu.delivered(a->feed, StreamKind::Camera).genuine >= 30 &&
                   sfu.delivered(a->feed, StreamKind::Audio).genuine >= 150;
        };
        QDeadlineTimer deadline(15000);
        while (!enough() && !deadline.hasExpired())
            QTest::qWait(20);
        if (!enough())
            qWarning("B's receive pads: %s\nJanus's log:\n%s",
                     qPrintable(testsupport::describeReceivePads(pipeline)),
                     qPrintable(m_media.janus().logTail(40)));
        QVERIFY2(enough(), qPrintable(report(a->feed, StreamKind::Camera) + "\n" +
                                      report(a->feed, StreamKind::Audio) +
                                      "\npads: " + sfu.inlets() + "; answers " +
                                      QString::number(link.answers()) + " " + link.lastProblem()));
        // Under attack C's branch decoded nothing: all it got was A's frames under C's name.
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
            QVERIFY2(sfu.delivered(c->feed, kind).genuine == 0 &&
                         seen(c->feed, kind).decrypt.accepted == 0 &&
                         seen(c->feed, kind).decoded == 0,
                     qPrintable(report(c->feed, kind)));
        }
        // Then C's own frames, unchanged, to show its branch decodes what really is C's.
        sfu.beHonest();
        // (while attacked, C's branch asked for keyframes that FakeSfu never passed on)
        c->local->requestKeyframe(StreamKind::Camera);
        auto decodesC = [&] {
            return seen(c->feed, StreamKind::Camera).decoded > 0 &&
                   seen(c->feed, StreamKind::Audio).decoded > 0;
        };
        deadline.setRemainingTime(5000);
        while (!decodesC() && !deadline.hasExpired())
            QTest::qWait(20);
        if (!decodesC())
            qWarning("B's receive pads: %s\nJanus's log:\n%s",
                     qPrintable(testsupport::describeReceivePads(pipeline)),
                     qPrintable(m_media.janus().logTail(40)));
        QVERIFY2(decodesC(),
                 qPrintable(report(c->feed, StreamKind::Camera) + "\n" +
                            report(c->feed, StreamKind::Audio) + "\npads: " + sfu.inlets()));
        sfu.stop();

        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera}) {
            // Opus decodes one packet behind (it looks at the next one for in-band FEC of a lost
            // one), so the last genuine audio frame is still in the decoder.
            const uint64_t heldBack = kind == StreamKind::Audio ? 1 : 0;
            // A's branch: every genuine frame opened and decoded; each attack frame refused
            // for its reason; decoded frames are exactly the genuine ones.
            const Delivered toA = sfu.delivered(a->feed, kind);
            QVERIFY2(toA.replayed >= 6 && toA.forged >= 7 && toA.flipped >= 7,
                     qPrintable(report(a->feed, kind)));
            QTRY_VERIFY2_WITH_TIMEOUT(seen(a->feed, kind).decrypt.accepted == toA.genuine &&
                                          seen(a->feed, kind).decoded == toA.genuine - heldBack,
                                      qPrintable(report(a->feed, kind)), 5000);
            const Seen atA = seen(a->feed, kind);
            QCOMPARE(atA.decrypt.replay, toA.replayed);
            QCOMPARE(atA.decrypt.authFailed, toA.forged + toA.flipped);
            QCOMPARE(atA.decrypt.unknownKid, uint64_t(0));
            QCOMPARE(atA.decrypt.malformed, uint64_t(0));
            QCOMPARE(atA.decoded, toA.genuine - heldBack);
            QCOMPARE(atA.member.framesDecrypted, toA.genuine);
            QCOMPARE(atA.member.decryptFailures, toA.replayed + toA.forged + toA.flipped);

            // C's branch: A's frames under C's name - A's KID has no key there, and A's frame
            // relabelled with C's KID fails authentication. Only C's own frames (after the
            // attack) opened, and only they were decoded.
            const Delivered toC = sfu.delivered(c->feed, kind);
            QVERIFY2(toC.foreign >= 10 && toC.relabelled >= 10 && toC.genuine > 0,
                     qPrintable(report(c->feed, kind)));
            QTRY_VERIFY2_WITH_TIMEOUT(seen(c->feed, kind).decrypt.accepted == toC.genuine &&
                                          seen(c->feed, kind).decoded == toC.genuine - heldBack,
                                      qPrintable(report(c->feed, kind)), 5000);
            const Seen atC = seen(c->feed, kind);
            QCOMPARE(atC.decrypt.unknownKid, toC.foreign);
            QCOMPARE(atC.decrypt.authFailed, toC.relabelled);
            QCOMPARE(atC.decrypt.replay, uint64_t(0));
            QCOMPARE(atC.decrypt.malformed, uint64_t(0));
            QCOMPARE(atC.decoded, toC.genuine - heldBack);
            QCOMPARE(atC.member.decryptFailures, toC.foreign + toC.relabelled);
            QCOMPARE(atC.member.unknownKey, toC.foreign);
            qInfo("%s\n%s", qPrintable(report(a->feed, kind)), qPrintable(report(c->feed, kind)));
        }
    }
};

QTEST_GUILESS_MAIN(TestJanusMaliciousSfu)
#include "tst_janus_malicious_sfu.moc"
