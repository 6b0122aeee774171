// SPDX-License-Identifier: GPL-3.0-or-later
// MediaMesh with a transport other than the mesh, plugged in through create()'s factory: the
// session's key schedule drives it (members added and removed, sending started only once the
// own keys reached a newcomer's epoch), and a pad the transport hands to a member's
// RemoteMember decrypts under the keys the session installed there - what a Janus transport
// relies on. The transport here loops this member's own encrypted camera back as member 1's
// stream (test keys give member 1 the same camera key), with no network.
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "media/MediaMesh.h"
#include "media/MediaTransport.h"

#include <QSignalSpy>
#include <QtTest>

#include <memory>
#include <set>

using namespace conclave;
using namespace conclave::media;

namespace {

constexpr uint32_t kLooped = 1; ///< the member whose "stream" is this member's own camera

/// Records what the session asks; carries member kLooped's camera from the local tee.
class LoopbackTransport : public MediaTransport {
public:
    LoopbackTransport(const TransportContext& context, QStringList& log)
        : m_context(context), m_log(log)
    {
    }
    ~LoopbackTransport() override { unloop(); }

    const char* name() const override { return "loopback"; }
    uint64_t bytesSent() const override { return 0; }

    void addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member) override
    {
        m_log << QStringLiteral("add %1 own %2").arg(index).arg(ownIndex);
        if (index != kLooped)
            return;
        m_member = &member;
        m_output = m_context.local->requestOutput(StreamKind::Camera);
        m_payloader = gst_element_factory_make("conclavevp8pay", nullptr);
        g_object_set(m_payloader, "pt", guint(traitsOf(StreamKind::Camera).payloadType), nullptr);
        gst_bin_add(GST_BIN(m_context.pipeline), m_payloader);
        GstPad* sink = gst_element_get_static_pad(m_payloader, "sink");
        gst_pad_link(m_output, sink);
        gst_object_unref(sink);
        GstPad* src = gst_element_get_static_pad(m_payloader, "src");
        member.attach(StreamKind::Camera, src); // as an SFU subscriber's pad-added would
        gst_object_unref(src);
        gst_element_sync_state_with_parent(m_payloader);
    }
    void removeMember(uint32_t index) override
    {
        m_log << QStringLiteral("remove %1").arg(index);
        if (index == kLooped)
            unloop();
    }
    void startSending(uint32_t index) override { m_log << QStringLiteral("send %1").arg(index); }
    void useTurnServers(std::vector<turn::TurnServer>) override {} // loops back, no TURN
    Result<void> onSignal(uint32_t from, const QByteArray&) override
    {
        m_log << QStringLiteral("signal %1").arg(from);
        const Error refused{"media.no_member_signalling",
                            "this transport takes no set-up messages from members"};
        m_context.reportProblem(refused);
        return refused;
    }
    void stop() override
    {
        m_log << QStringLiteral("stop");
        unloop();
    }

private:
    void unloop()
    {
        if (!m_member)
            return;
        m_member->detach(StreamKind::Camera);
        m_member = nullptr;
        GstPad* sink = gst_element_get_static_pad(m_payloader, "sink");
        gst_pad_unlink(m_output, sink);
        gst_object_unref(sink);
        m_context.local->releaseOutput(StreamKind::Camera, m_output);
        gst_element_set_state(m_payloader, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(m_context.pipeline), m_payloader);
    }

    TransportContext m_context;
    QStringList& m_log;
    RemoteMember* m_member = nullptr;
    GstPad* m_output = nullptr;
    GstElement* m_payloader = nullptr;
};

/// Epoch `epoch` with `members`; member kLooped's camera key is this member's (index 0).
EpochKeys keysOf(uint64_t epoch, const std::set<uint32_t>& members,
                 const crypto::SecureBuffer& secret)
{
    EpochKeys keys;
    keys.epoch = epoch;
    keys.ownIndex = 0;
    const auto video = traitsOf(StreamKind::Camera).context;
    for (uint32_t index : members)
        keys.members[index][StreamKind::Camera] =
            crypto::deriveMediaKey(secret, epoch, index == kLooped ? 0 : index, video).value();
    return keys;
}

std::optional<StreamStats> cameraOf(MediaMesh& session, uint32_t member)
{
    for (const StreamStats& s : session.stats())
        if (s.peer == member && s.kind == StreamKind::Camera)
            return s;
    return std::nullopt;
}

} // namespace

class TestMediaTransport : public QObject {
    Q_OBJECT

private slots:
    void theKeyScheduleDrivesAnyTransport()
    {
        QStringList log;
        MediaOptions options;
        options.width = 160;
        options.height = 120;
        auto created = MediaMesh::create(options, {}, [&log](const TransportContext& context) {
            return std::make_unique<LoopbackTransport>(context, log);
        });
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        MediaMesh& session = **created;
        const crypto::SecureBuffer secret = crypto::SecureBuffer::random(32);

        // The first epoch: own keys at once, so member 1 may be sent to at once.
        session.applyEpoch(keysOf(1, {0, kLooped}, secret));
        QCOMPARE(log, QStringList({"add 1 own 0", "send 1"}));
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto s = cameraOf(session, kLooped);
                return s && s->framesDecrypted > 5 && s->framesDecoded > 0;
            },
            10000));
        const StreamStats first = *cameraOf(session, kLooped);
        QCOMPARE(first.decryptFailures, uint64_t(0));
        QVERIFY(first.packetsReceived > 0);      // counted as they reach the depayloader
        QCOMPARE(first.packetsLost, int64_t(0)); // a loop in one pipeline loses nothing
        QVERIFY(session.firstFrames().at(kLooped).count(StreamKind::Camera));

        // A newcomer: nothing goes to it before the own keys use its epoch.
        log.clear();
        session.applyEpoch(keysOf(2, {0, kLooped, 2}, secret));
        QCOMPARE(log, QStringList({"add 2 own 0"}));
        session.confirmEpoch(2);
        QCOMPARE(log, QStringList({"add 2 own 0", "send 1", "send 2"}));
        // Member 1's new key is in its RemoteMember: frames under epoch 2 still open.
        const uint64_t before = cameraOf(session, kLooped)->framesDecrypted;
        QVERIFY(QTest::qWaitFor(
            [&] { return cameraOf(session, kLooped)->framesDecrypted > before + 10; }, 10000));

        // Gone from the roster: the transport lets go, then its RemoteMember is wiped.
        log.clear();
        session.applyEpoch(keysOf(3, {0, 2}, secret));
        QCOMPARE(log, QStringList({"remove 1"}));
        QVERIFY(!cameraOf(session, kLooped));
        QVERIFY(!session.firstFrames().count(kLooped));

        // Signalling goes to the transport, which may refuse it and report a problem.
        QSignalSpy problems(&session, &MediaMesh::problem);
        const auto signalled = session.onSignal(2, QByteArrayLiteral("{}"));
        QVERIFY(!signalled.ok());
        QCOMPARE(signalled.error().code, std::string("media.no_member_signalling"));
        QVERIFY(problems.wait(2000));
        QCOMPARE(problems.first().at(0).toString(), QStringLiteral("media.no_member_signalling"));

        log.clear();
        session.stop();
        QCOMPARE(log, QStringList({"stop"}));
        QVERIFY(session.stats().empty());
    }
};

QTEST_GUILESS_MAIN(TestMediaTransport)
#include "tst_mediatransport.moc"
