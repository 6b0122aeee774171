// SPDX-License-Identifier: GPL-3.0-or-later
// TurnServer: which TURN addresses a member may be given, how they reach webrtcbin (and come
// out of it as the username and credential coturn checks), and the relay-only policy every
// link's webrtcbin gets. Real relaying through coturn: tst_turn_relay.
#include "media/MediaElements.h"
#include "media/MediaMesh.h"
#include "media/WebrtcParts.h"
#include "turn/TurnServer.h"

#include <QtTest>

#include <gst/gst.h>

using namespace conclave;
using namespace conclave::media;
using namespace conclave::turn;

namespace {

// A REST username (with ':') and a base64 credential (with '/', '+' and '=').
const QString kUser = QStringLiteral("1700000000:member-7");
const QString kCredential = QStringLiteral("ab/cd+ef==");
const QString kEscaped = QStringLiteral("1700000000%3Amember-7:ab%2Fcd%2Bef%3D%3D");

/// What webrtcbin 1.22 does with a turn:// URI (gstwebrtc nice.c, _validate_turn_server and
/// _parse_userinfo): parse it escaped, split the userinfo at its first ':', unescape both parts.
std::pair<QString, QString> userAndPasswordAsWebrtcbinReads(const QString& uri)
{
    GstUri* parsed = gst_uri_from_string_escaped(uri.toUtf8().constData());
    if (!parsed)
        return {};
    const QByteArray userinfo = gst_uri_get_userinfo(parsed);
    gst_uri_unref(parsed);
    const qsizetype colon = userinfo.indexOf(':');
    if (colon < 0)
        return {};
    gchar* user =
        g_uri_unescape_segment(userinfo.constData(), userinfo.constData() + colon, nullptr);
    gchar* pass = g_uri_unescape_string(userinfo.constData() + colon + 1, nullptr);
    std::pair<QString, QString> out{QString::fromUtf8(user), QString::fromUtf8(pass)};
    g_free(user);
    g_free(pass);
    return out;
}

} // namespace

class TestTurnServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initialiseMedia()); }

    void accepted_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("uri");
        QTest::newRow("udp")
            << QStringLiteral("turn:10.0.0.1:3478?transport=udp")
            << QStringLiteral("turn://%1@10.0.0.1:3478?transport=udp").arg(kEscaped);
        QTest::newRow("tcp on 443")
            << QStringLiteral("turn:turn.example.org:443?transport=tcp")
            << QStringLiteral("turn://%1@turn.example.org:443?transport=tcp").arg(kEscaped);
        QTest::newRow("default port, both transports")
            << QStringLiteral("turn:turn.example.org")
            << QStringLiteral("turn://%1@turn.example.org:3478").arg(kEscaped);
        QTest::newRow("IPv6")
            << QStringLiteral("turn:[2001:db8::1]:3478?transport=udp")
            << QStringLiteral("turn://%1@[2001:db8::1]:3478?transport=udp").arg(kEscaped);
        QTest::newRow("IPv6, default port")
            << QStringLiteral("turn:[2001:db8::1]")
            << QStringLiteral("turn://%1@[2001:db8::1]:3478").arg(kEscaped);
        QTest::newRow("scheme in capitals")
            << QStringLiteral("TURN:10.0.0.1")
            << QStringLiteral("turn://%1@10.0.0.1:3478").arg(kEscaped);
    }

    void accepted()
    {
        QFETCH(QString, url);
        QFETCH(QString, uri);
        const auto made = webrtcbinTurnUri({url, kUser, kCredential});
        QVERIFY2(made, made ? "" : made.error().message.c_str());
        QCOMPARE(*made, uri);
        // webrtcbin reads back exactly the username and credential coturn is to check.
        const auto [user, password] = userAndPasswordAsWebrtcbinReads(*made);
        QCOMPARE(user, kUser);
        QCOMPARE(password, kCredential);
        // And takes it.
        GstElement* webrtc = gst_element_factory_make("webrtcbin", nullptr);
        gboolean added = FALSE;
        g_signal_emit_by_name(webrtc, "add-turn-server", made->toUtf8().constData(), &added);
        gst_object_unref(webrtc);
        QVERIFY(added);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("code");
        const QString bad = QStringLiteral("media.turn_url");
        QTest::newRow("turns") << QStringLiteral("turns:turn.example.org:443")
                               << QStringLiteral("media.turns_unsupported");
        QTest::newRow("turns, capitals") << QStringLiteral("TURNS:turn.example.org")
                                         << QStringLiteral("media.turns_unsupported");
        QTest::newRow("stun") << QStringLiteral("stun:10.0.0.1") << bad;
        QTest::newRow("no scheme") << QStringLiteral("10.0.0.1:3478") << bad;
        QTest::newRow("webrtcbin's own form") << QStringLiteral("turn://10.0.0.1:3478") << bad;
        QTest::newRow("no host") << QStringLiteral("turn:") << bad;
        QTest::newRow("only a port") << QStringLiteral("turn::3478") << bad;
        QTest::newRow("port 0") << QStringLiteral("turn:10.0.0.1:0") << bad;
        QTest::newRow("port too large") << QStringLiteral("turn:10.0.0.1:65536") << bad;
        QTest::newRow("port not a number") << QStringLiteral("turn:10.0.0.1:http") << bad;
        QTest::newRow("signed port") << QStringLiteral("turn:10.0.0.1:+443") << bad;
        QTest::newRow("tls transport") << QStringLiteral("turn:10.0.0.1?transport=tls") << bad;
        QTest::newRow("other parameter") << QStringLiteral("turn:10.0.0.1?foo=bar") << bad;
        QTest::newRow("space in host") << QStringLiteral("turn:turn example.org") << bad;
        QTest::newRow("credentials in the URL") << QStringLiteral("turn:u:p@10.0.0.1") << bad;
        QTest::newRow("unclosed IPv6") << QStringLiteral("turn:[2001:db8::1:3478") << bad;
        QTest::newRow("IPv6 with a zone") << QStringLiteral("turn:[fe80::1%eth0]") << bad;
    }

    void refused()
    {
        QFETCH(QString, url);
        QFETCH(QString, code);
        const auto made = webrtcbinTurnUri({url, kUser, kCredential});
        QVERIFY(!made);
        QCOMPARE(QString::fromStdString(made.error().code), code);
        QVERIFY(made.error().isInvalidInput());
        QVERIFY(QString::fromStdString(made.error().message).contains(url));
    }

    void turnsSaysWhatToUseInstead()
    {
        const auto made =
            webrtcbinTurnUri({QStringLiteral("turns:t.example.org"), kUser, kCredential});
        QVERIFY(!made);
        const QString message = QString::fromStdString(made.error().message);
        QVERIFY(message.contains(QLatin1String("TCP")));
        QVERIFY(message.contains(QLatin1String("443")));
        QVERIFY(message.contains(QLatin1String("libnice")));
    }

    void credentialsAreRequired()
    {
        for (const TurnServer& server :
             {TurnServer{QStringLiteral("turn:10.0.0.1"), QString(), kCredential},
              TurnServer{QStringLiteral("turn:10.0.0.1"), kUser, QString()}}) {
            const auto made = webrtcbinTurnUri(server);
            QVERIFY(!made);
            QCOMPARE(made.error().code, std::string("media.turn_credentials"));
        }
    }

    void relayOnlyNeedsAServer()
    {
        QVERIFY(checkTurnServers({}, false));
        const TurnServer server{QStringLiteral("turn:10.0.0.1"), kUser, kCredential};
        QVERIFY(checkTurnServers({server}, true));
        const auto none = checkTurnServers({}, true);
        QVERIFY(!none);
        QCOMPARE(none.error().code, std::string("media.turn_required"));
        // One bad server among good ones is enough to refuse them all.
        const auto mixed = checkTurnServers(
            {server, {QStringLiteral("turns:10.0.0.2"), kUser, kCredential}}, false);
        QVERIFY(!mixed);
        QCOMPARE(mixed.error().code, std::string("media.turns_unsupported"));
    }

    void aMediaSessionWithAServerNoLinkCouldUseDoesNotStart()
    {
        MediaOptions relayWithout;
        relayWithout.relayOnly = true;
        auto refused = MediaMesh::create(relayWithout);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.turn_required"));

        MediaOptions overTls;
        overTls.turnServers = {{QStringLiteral("turns:10.0.0.1:443"), kUser, kCredential}};
        refused = MediaMesh::create(overTls);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.turns_unsupported"));
    }

    void everyLinkGetsTheRelayPolicy()
    {
        const auto policyOf = [](const MediaOptions& options) {
            GstElement* pipeline = gst_pipeline_new(nullptr);
            GstElement* webrtc = addWebrtcbin(pipeline, options);
            GstWebRTCICETransportPolicy policy = GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL;
            g_object_get(webrtc, "ice-transport-policy", &policy, nullptr);
            // What webrtcbin makes of it: libnice's force-relay (no host candidate is offered or
            // used).
            GObject* ice = nullptr;
            g_object_get(webrtc, "ice-agent", &ice, nullptr);
            GObject* agent = nullptr;
            g_object_get(ice, "agent", &agent, nullptr);
            gboolean forced = FALSE;
            g_object_get(agent, "force-relay", &forced, nullptr);
            g_object_unref(agent);
            g_object_unref(ice);
            gst_object_unref(pipeline);
            return std::pair{policy, bool(forced)};
        };
        MediaOptions relay;
        relay.turnServers = {{QStringLiteral("turn:10.0.0.1"), kUser, kCredential}};
        relay.relayOnly = true;
        QCOMPARE(policyOf(relay), std::pair(GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, true));
        relay.relayOnly = false;
        QCOMPARE(policyOf(relay), std::pair(GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL, false));
        QCOMPARE(policyOf(MediaOptions{}), std::pair(GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL, false));
    }
};

QTEST_GUILESS_MAIN(TestTurnServer)
#include "tst_turnserver.moc"
