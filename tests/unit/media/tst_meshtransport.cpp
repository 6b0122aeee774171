// SPDX-License-Identifier: GPL-3.0-or-later
// MeshTransport taking renewed TURN credentials (MediaTransport::useTurnServers): a PeerLink made
// after the renewal hands webrtcbin the new credentials, one made before was given only the old
// ones and is given nothing more (its allocation stays valid: coturn checks a credential only
// when an allocation is made), and a list the checks refuse is reported and changes nothing.
// Observed where the servers reach webrtcbin: its `add-turn-server` action (webrtcbin 1.22 has
// no way to read its TURN servers back).
// And links made anew after a network change (MediaTransport::restartLinks, docs/media.md
// "Links after a network change"): the offerer remakes its own at once and the peer's request,
// the answerer asks and follows the offerer's new link, messages about an old link are dropped,
// and SignalMessage carries the link number and the request.
#include "media/MediaElements.h"
#include "media/MediaMesh.h"
#include "media/MeshTransport.h"
#include "media/SignalMessage.h"

#include <QSignalSpy>
#include <QtTest>

#include <gst/gst.h>

#include <map>
#include <vector>

using namespace conclave;
using namespace conclave::media;

namespace {

const QString kUrl = QStringLiteral("turn:127.0.0.1:9?transport=udp");
// REST usernames told apart by their ids (the URI webrtcbin gets percent-encodes the ':').
const turn::TurnServer kOld{kUrl, QStringLiteral("1700000000:0ld0ld"), QStringLiteral("b2xk")};
const turn::TurnServer kNew{kUrl, QStringLiteral("1700003000:5e75e7"), QStringLiteral("bmV3")};

/// Every TURN URI given to each webrtcbin, in order.
struct TurnLog {
    std::map<GstElement*, QStringList> byWebrtcbin;
    std::vector<GstElement*> order; ///< webrtcbins as they were first given a server

    static gboolean added(GSignalInvocationHint*, guint count, const GValue* values, gpointer self)
    {
        auto* log = static_cast<TurnLog*>(self);
        if (count < 2)
            return TRUE;
        auto* webrtc = GST_ELEMENT(g_value_get_object(&values[0]));
        if (!log->byWebrtcbin.count(webrtc))
            log->order.push_back(webrtc);
        log->byWebrtcbin[webrtc] << QString::fromUtf8(g_value_get_string(&values[1]));
        return TRUE; // stay
    }
};

EpochKeys epochOf(uint64_t epoch, std::initializer_list<uint32_t> members, uint32_t own = 0)
{
    EpochKeys keys;
    keys.epoch = epoch;
    keys.ownIndex = own;
    for (uint32_t index : members)
        keys.members[index]; // linked; no stream keys are needed to make the links
    return keys;
}

bool onlyWith(const QStringList& uris, const turn::TurnServer& server)
{
    const QString id = server.username.section(':', 1);
    if (uris.isEmpty())
        return false;
    for (const QString& uri : uris)
        if (!uri.contains(id))
            return false;
    return true;
}

} // namespace

class TestMeshTransport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(initialiseMedia());
        // Loads webrtcbin's type, whose action signal the log hooks.
        GstElement* probe = gst_element_factory_make("webrtcbin", nullptr);
        QVERIFY(probe);
        m_signal = g_signal_lookup("add-turn-server", G_OBJECT_TYPE(probe));
        gst_object_unref(probe);
        QVERIFY(m_signal != 0);
        m_hook = g_signal_add_emission_hook(m_signal, 0, TurnLog::added, &m_log, nullptr);
    }

    void cleanupTestCase() { g_signal_remove_emission_hook(m_signal, m_hook); }

    void linksMadeAfterARenewalGetTheNewCredentials()
    {
        m_log = {};
        MediaOptions options;
        options.localAddresses = {QStringLiteral("127.0.0.1")};
        options.turnServers = {kOld};
        auto made = MediaMesh::create(options);
        QVERIFY2(made, made ? "" : made.error().message.c_str());
        MediaMesh& mesh = **made;
        QSignalSpy problems(&mesh, &MediaMesh::problem);

        mesh.applyEpoch(epochOf(1, {0, 1}));
        auto* mesh1 = dynamic_cast<MeshTransport*>(mesh.transport());
        QVERIFY(mesh1);
        QCOMPARE(m_log.order.size(), size_t{1});
        GstElement* before = m_log.order[0];
        QVERIFY(onlyWith(m_log.byWebrtcbin[before], kOld));

        mesh1->useTurnServers({kNew});
        QCOMPARE(mesh1->turnServersForNewLinks().size(), size_t{1});
        QCOMPARE(mesh1->turnServersForNewLinks()[0].username, kNew.username);
        const QStringList beforeGot = m_log.byWebrtcbin[before];

        mesh.applyEpoch(epochOf(2, {0, 1, 2})); // member 2 admitted after the renewal
        QCOMPARE(m_log.order.size(), size_t{2});
        QVERIFY2(onlyWith(m_log.byWebrtcbin[m_log.order[1]], kNew),
                 qPrintable(m_log.byWebrtcbin[m_log.order[1]].join(' ')));
        QCOMPARE(m_log.byWebrtcbin[before], beforeGot); // the old link is left alone
        QCOMPARE(problems.size(), 0);

        // A list the checks refuse (TURN over TLS) is reported; the next link still gets the
        // last good one.
        mesh1->useTurnServers(
            {{QStringLiteral("turns:127.0.0.1:443"), kNew.username, kNew.credential}});
        QVERIFY(problems.wait(2000));
        QCOMPARE(problems.at(0).at(0).toString(), QStringLiteral("media.turns_unsupported"));
        mesh.applyEpoch(epochOf(3, {0, 1, 2, 3}));
        QCOMPARE(m_log.order.size(), size_t{3});
        QVERIFY(onlyWith(m_log.byWebrtcbin[m_log.order[2]], kNew));
        mesh.stop();
    }

    void signalMessagesCarryTheirLink()
    {
        SignalMessage restart;
        restart.type = SignalMessage::Type::Restart;
        restart.link = 3;
        const auto back = SignalMessage::decode(restart.encode());
        QVERIFY(back);
        QCOMPARE(int(back->type), int(SignalMessage::Type::Restart));
        QCOMPARE(back->link, 3u);
        // A first link's messages are as before: no link number on the wire.
        SignalMessage ice;
        ice.type = SignalMessage::Type::Ice;
        ice.candidate = QStringLiteral("candidate:1 1 UDP 1 10.0.0.1 9 typ host");
        QVERIFY(!ice.encode().contains("link"));
        QCOMPARE(SignalMessage::decode(ice.encode())->link, 0u);
        for (const char* bad :
             {R"({"type":"restart","link":0})", R"({"type":"restart","link":1.5})",
              R"({"type":"restart","link":"2"})", R"({"type":"restart","x":1})"})
            QVERIFY2(!SignalMessage::decode(QByteArray(bad)), bad);
    }

    void theOffererMakesLinksAnewAndOldMessagesAreDropped()
    {
        m_log = {};
        MediaOptions options;
        options.localAddresses = {QStringLiteral("127.0.0.1")};
        options.turnServers = {kOld}; // so that every new webrtcbin shows in the log
        auto made = MediaMesh::create(options);
        QVERIFY(made);
        MediaMesh& mesh = **made;
        QSignalSpy sent(&mesh, &MediaMesh::signalReady);
        mesh.applyEpoch(epochOf(1, {0, 1, 2})); // this member (0) offers to 1 and 2
        auto* transport = dynamic_cast<MeshTransport*>(mesh.transport());
        QVERIFY(transport);
        QCOMPARE(m_log.order.size(), size_t{2});

        transport->restartLinks();
        QCOMPARE(transport->linksRemade(), uint64_t{2});
        QCOMPARE(m_log.order.size(), size_t{4}); // two new webrtcbins
        // The new links' offers say which making they belong to.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QList<QVariant>& signal : sent) {
                    const auto message = SignalMessage::decode(signal.at(1).toByteArray());
                    if (message && message->type == SignalMessage::Type::Offer &&
                        message->link == 1)
                        return true;
                }
                return false;
            }(),
            5000);

        // Member 1's request for a new link (it is at link 1): this member makes the second.
        SignalMessage ask;
        ask.type = SignalMessage::Type::Restart;
        ask.link = 1;
        QVERIFY(mesh.onSignal(1, ask.encode()));
        QCOMPARE(transport->linksRemade(), uint64_t{3});
        // A candidate of the first link, late: dropped, nothing made.
        SignalMessage late;
        late.type = SignalMessage::Type::Ice;
        late.candidate = QStringLiteral("candidate:1 1 UDP 1 127.0.0.1 9 typ host");
        QVERIFY(mesh.onSignal(1, late.encode()));
        QCOMPARE(transport->linksRemade(), uint64_t{3});
        QCOMPARE(m_log.order.size(), size_t{5});
        // An answer for a link this member never made is refused.
        SignalMessage answer;
        answer.type = SignalMessage::Type::Answer;
        answer.sdp = QStringLiteral("v=0\r\n");
        answer.link = 7;
        const auto refused = mesh.onSignal(2, answer.encode());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.unexpected_link"));
        mesh.stop();
    }

    void theAnswererAsksAndFollowsTheOfferersNewLink()
    {
        m_log = {};
        MediaOptions options;
        options.localAddresses = {QStringLiteral("127.0.0.1")};
        options.turnServers = {kOld};
        auto made = MediaMesh::create(options);
        QVERIFY(made);
        MediaMesh& mesh = **made;
        QSignalSpy sent(&mesh, &MediaMesh::signalReady);
        mesh.applyEpoch(epochOf(1, {0, 1}, 1)); // this member (1) answers member 0
        auto* transport = dynamic_cast<MeshTransport*>(mesh.transport());
        QVERIFY(transport);

        transport->restartLinks(); // asks, makes nothing itself
        QCOMPARE(transport->linksRemade(), uint64_t{0});
        QTRY_VERIFY_WITH_TIMEOUT(!sent.isEmpty(), 2000);
        const auto asked = SignalMessage::decode(sent.last().at(1).toByteArray());
        QVERIFY(asked);
        QCOMPARE(int(asked->type), int(SignalMessage::Type::Restart));
        QCOMPARE(sent.last().at(0).toUInt(), 0u);

        // The offerer's new link (its first candidate may come before its offer).
        SignalMessage candidate;
        candidate.type = SignalMessage::Type::Ice;
        candidate.candidate = QStringLiteral("candidate:1 1 UDP 1 127.0.0.1 9 typ host");
        candidate.link = 1;
        QVERIFY(mesh.onSignal(0, candidate.encode()));
        QCOMPARE(transport->linksRemade(), uint64_t{1});
        QCOMPARE(m_log.order.size(), size_t{2});
        candidate.link = 1; // more of the same link: no new one
        QVERIFY(mesh.onSignal(0, candidate.encode()));
        QCOMPARE(transport->linksRemade(), uint64_t{1});
        // Only the offerer makes links: a request to the answerer is refused.
        SignalMessage ask;
        ask.type = SignalMessage::Type::Restart;
        ask.link = 1;
        const auto refused = mesh.onSignal(0, ask.encode());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.unexpected_restart"));
        mesh.stop();
    }

private:
    guint m_signal = 0;
    gulong m_hook = 0;
    TurnLog m_log;
};

QTEST_GUILESS_MAIN(TestMeshTransport)
#include "tst_meshtransport.moc"
