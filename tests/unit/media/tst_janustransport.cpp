// SPDX-License-Identifier: GPL-3.0-or-later
// JanusTransport taking renewed TURN credentials (MediaTransport::useTurnServers) without a
// Janus: the room session it has now gets them for the links it makes later (its publisher, a
// subscription made or made again), the session of a later room is made with them, and a
// list the checks refuse is reported and changes nothing. A link's own use of them is the
// mesh's test (tst_meshtransport): every link hands its options to webrtcbin the same way
// (addWebrtcbin).
#include "media/JanusTransport.h"
#include "media/MediaElements.h"

#include <QtTest>

#include <vector>

using namespace conclave;
using namespace conclave::media;

namespace {

const QString kUrl = QStringLiteral("turn:127.0.0.1:9?transport=udp");
const turn::TurnServer kOld{kUrl, QStringLiteral("1700000000:0ld0ld"), QStringLiteral("b2xk")};
const turn::TurnServer kNew{kUrl, QStringLiteral("1700003000:5e75e7"), QStringLiteral("bmV3")};

SfuRoom roomNumber(uint64_t room)
{
    // Nothing listens there: the session is made and opened, and fails later on its own.
    return {QUrl(QStringLiteral("wss://127.0.0.1:9/janus")),
            {QStringLiteral("pin")},
            room,
            QStringLiteral("token")};
}

} // namespace

class TestJanusTransport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initialiseMedia()); }

    void renewedServersReachTheSessionAndTheNextRoom()
    {
        std::vector<Error> problems;
        TransportContext context;
        context.options.turnServers = {kOld};
        context.options.relayOnly = true;
        context.reportProblem = [&problems](const Error& e) { problems.push_back(e); };
        JanusTransport transport(context);
        transport.setIdentities(0, {{0, QByteArray(32, 'a')}});
        QVERIFY(transport.useRoom(roomNumber(1)));
        QVERIFY(transport.session());
        QCOMPARE(transport.session()->turnServersForNewLinks()[0].username, kOld.username);

        transport.useTurnServers({kNew});
        QCOMPARE(transport.turnServersForNewLinks().size(), size_t{1});
        QCOMPARE(transport.turnServersForNewLinks()[0].username, kNew.username);
        QCOMPARE(transport.session()->turnServersForNewLinks().size(), size_t{1});
        QCOMPARE(transport.session()->turnServersForNewLinks()[0].username, kNew.username);

        QVERIFY(transport.useRoom(roomNumber(2))); // the hub moved the meeting
        QCOMPARE(transport.session()->turnServersForNewLinks()[0].username, kNew.username);
        QVERIFY(problems.empty());

        // Relay only stays the policy's: an empty list would leave later links no way at all.
        transport.useTurnServers({});
        QCOMPARE(problems.size(), size_t{1});
        QCOMPARE(problems[0].code, std::string("media.turn_required"));
        QCOMPARE(transport.turnServersForNewLinks()[0].username, kNew.username);
        QCOMPARE(transport.session()->turnServersForNewLinks()[0].username, kNew.username);
        transport.stop();
    }
};

QTEST_GUILESS_MAIN(TestJanusTransport)
#include "tst_janustransport.moc"
