// SPDX-License-Identifier: GPL-3.0-or-later
// Chair and participant controllers on a real embedded hub (TLS, pinned, loopback), control
// plane only: what the desktop app's windows are drawn from.
#include "DeviceContext.h"
#include "classification/MarkingParser.h"
#include "conference/DemoCast.h"
#include "conference/EmbeddedHost.h"
#include "policy/BuiltinPolicy.h"
#include "storage/AuditLog.h"

#include "StallingProxy.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using State = conference::ParticipantController::State;
using meeting::ChairAction;

namespace {

struct Device {
    QTemporaryDir dir;
    SystemClock clock;
    std::unique_ptr<app::DeviceContext> context;
    policy::PolicyDocument policy = policy::publicBusinessOnlyPolicy("test");

    Device()
    {
        context = app::DeviceContext::open(dir.path(), clock,
                                           app::DeviceContext::KeyProtection::KeyFileOnly)
                      .value();
    }
};

meeting::ChairSetup setupFor(const policy::PolicyDocument& policy, const char* marking)
{
    meeting::ChairSetup setup;
    setup.title = QStringLiteral("Weekly");
    setup.marking = classification::MarkingParser(policy.scheme).parse(marking)->marking;
    setup.backendId = QStringLiteral("this-computer");
    setup.chairName = QStringLiteral("Clerk");
    setup.options.chat = true;
    return setup;
}

std::unique_ptr<conference::ChairController> host(Device& device, const char* marking = "OFFICIAL")
{
    auto chair = conference::EmbeddedHost::hostMeeting(
        device.dir.path(), QHostAddress(QHostAddress::LocalHost), 0, device.context->identity(),
        device.policy, device.clock, setupFor(device.policy, marking), &device.context->audit());
    if (!chair)
        qFatal("host: %s", chair.error().message.c_str());
    QSignalSpy created(chair->get(), &conference::ChairController::created);
    (*chair)->start();
    if (!created.wait(10000))
        qFatal("the hub did not create the meeting");
    return std::move(chair).value();
}

/// A participant starting to join by `link`; `viaUrl`, when given, is where it connects instead
/// of the link's hub (a proxy in front of it), watched as `liveness` says.
std::unique_ptr<conference::ParticipantController> joiner(const crypto::Ed25519SigningKey& key,
                                                          const Device& device, const QString& link,
                                                          const QString& viaUrl = {},
                                                          client::Liveness liveness = {})
{
    auto target = meeting::JoinTarget::fromLink(link, device.clock.now()).value();
    auto p = std::make_unique<conference::ParticipantController>(
        std::make_unique<meeting::ParticipantSession>(key, device.policy, device.clock, target,
                                                      QStringLiteral("Typed name")),
        std::make_unique<client::HubClient>(viaUrl.isEmpty() ? target.hubUrl : viaUrl,
                                            target.hubPin, liveness),
        nullptr);
    p->start();
    return p;
}

quint16 portOf(const QString& url)
{
    return quint16(QUrl(url).port());
}

QStringList kinds(const QSignalSpy& spy)
{
    QStringList out;
    for (const auto& call : spy)
        for (const auto& e : call.first().value<meeting::MeetingEvents>())
            out << e.kindName();
    return out;
}

/// A member whose connection runs through a proxy the test can stall, watched closely so a
/// dead path is noticed within a second.
struct MemberBehindProxy {
    std::unique_ptr<testsupport::StallingProxy> proxy;
    crypto::Ed25519SigningKey key = crypto::Ed25519SigningKey::generate();
    std::unique_ptr<conference::ParticipantController> controller;
};

/// Invites `name`, has it knock through a new proxy and admits it; false when any step fails.
bool admitBehindProxy(conference::ChairController& chair, const Device& device, const QString& name,
                      MemberBehindProxy& out)
{
    using namespace std::chrono_literals;
    const QString link = chair.makeInvite(name).value();
    out.proxy = std::make_unique<testsupport::StallingProxy>(
        QHostAddress(QHostAddress::LocalHost),
        portOf(meeting::JoinTarget::fromLink(link, device.clock.now())->hubUrl));
    if (!out.proxy->listen())
        return false;
    out.controller =
        joiner(out.key, device, link, QStringLiteral("wss://127.0.0.1:%1").arg(out.proxy->port()),
               client::Liveness{200ms, 1000ms, 1500ms});
    return QTest::qWaitFor([&] { return chair.waiting().size() == 1; }, 10000) &&
           chair.command({ChairAction::Admit, true, out.key.publicKey()}) &&
           QTest::qWaitFor([&] { return out.controller->state() == State::Member; }, 10000);
}

} // namespace

class TestConference : public QObject {
    Q_OBJECT

private slots:
    void cleanup()
    {
        // Sockets the hub and clients closed are deleted later: let that happen before the
        // next test (and before the leak check at exit).
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }

    void aParticipantKnocksIsAdmittedAndChats()
    {
        Device device;
        auto chair = host(device);
        const auto key = crypto::Ed25519SigningKey::generate();
        auto alex = joiner(key, device, chair->makeInvite(QStringLiteral("Alex")).value());
        QTRY_COMPARE_WITH_TIMEOUT(chair->waiting().size(), size_t(1), 10000);
        const conference::Knocker knocker = chair->waiting().front();
        QCOMPARE(knocker.name, QStringLiteral("Alex")); // the invite's name, not the typed one
        QCOMPARE(knocker.invite, meeting::InviteMatch::Invited);
        QCOMPARE(alex->state(), State::Waiting);
        QCOMPARE(alex->marking(), QStringLiteral("OFFICIAL"));
        QVERIFY(alex->members().empty()); // a knocker sees nobody

        QVERIFY(chair->command({ChairAction::Admit, true, knocker.identity}));
        QTRY_COMPARE_WITH_TIMEOUT(alex->state(), State::Member, 10000);
        QVERIFY(chair->waiting().empty());
        QCOMPARE(chair->members().size(), size_t(2));
        QTRY_COMPARE_WITH_TIMEOUT(alex->securityCode(), chair->securityCode(), 10000);
        QCOMPARE(alex->members().size(), size_t(2));
        QVERIFY(alex->members()[1].isSelf);

        QSignalSpy chairEvents(chair.get(), &conference::MeetingController::eventsOccurred);
        QSignalSpy ownEvents(alex.get(), &conference::MeetingController::eventsOccurred);
        QVERIFY(alex->sendChat(QStringLiteral("hello")));
        QVERIFY(kinds(ownEvents).contains(QStringLiteral("chat"))); // shown to the sender too
        QTRY_VERIFY_WITH_TIMEOUT(kinds(chairEvents).contains(QStringLiteral("chat")), 10000);
    }

    void removalBansAndSuspendStopsEverything()
    {
        Device device;
        auto chair = host(device);
        const auto key = crypto::Ed25519SigningKey::generate();
        const auto otherKey = crypto::Ed25519SigningKey::generate();
        auto alex = joiner(key, device, chair->makeInvite(QStringLiteral("Alex")).value());
        auto bea = joiner(otherKey, device, chair->makeInvite(QStringLiteral("Bea")).value());
        QTRY_COMPARE_WITH_TIMEOUT(chair->waiting().size(), size_t(2), 10000);
        // First contacts: the chair admits each after checking the fingerprint, not in bulk.
        QVERIFY(chair->command({ChairAction::AdmitAllInvited}));
        QCOMPARE(chair->waiting().size(), size_t(2));
        QVERIFY(chair->command({ChairAction::Admit, true, key.publicKey()}));
        QVERIFY(chair->command({ChairAction::Admit, true, otherKey.publicKey()}));
        QTRY_VERIFY_WITH_TIMEOUT(alex->state() == State::Member && bea->state() == State::Member,
                                 10000);

        QSignalSpy finished(alex.get(), &conference::MeetingController::finished);
        QVERIFY(chair->command({ChairAction::Remove, true, key.publicKey()}));
        QTRY_COMPARE_WITH_TIMEOUT(alex->state(), State::Removed, 10000);
        QVERIFY(finished.wait(5000));
        QCOMPARE(chair->members().size(), size_t(2));

        QVERIFY(chair->command({ChairAction::Lock, false})); // banned even when open
        auto again = joiner(key, device, chair->makeInvite(QStringLiteral("Alex 2")).value());
        QTRY_COMPARE_WITH_TIMEOUT(again->state(), State::Refused, 10000);
        QVERIFY(chair->waiting().empty());

        QVERIFY(chair->command({ChairAction::Suspend}));
        QVERIFY(chair->suspended());
        QVERIFY(chair->locked());
        QTRY_VERIFY_WITH_TIMEOUT(bea->suspended(), 10000);
        QVERIFY(!bea->sendChat(QStringLiteral("anyone?")));
        QVERIFY(!bea->mediaState()->audio && !bea->mediaState()->video);
        QVERIFY(chair->command({ChairAction::Suspend, false}));
        QTRY_VERIFY_WITH_TIMEOUT(!bea->suspended(), 10000);

        chair->leave();
        QTRY_COMPARE_WITH_TIMEOUT(bea->state(), State::Ended, 10000);
    }

    void chairCommandsRouteByWhoGivesThem()
    {
        Device device;
        auto chair = host(device);
        const auto key = crypto::Ed25519SigningKey::generate();
        auto alex = joiner(key, device, chair->makeInvite(QStringLiteral("Alex")).value());
        QTRY_COMPARE_WITH_TIMEOUT(chair->waiting().size(), size_t(1), 10000);
        QVERIFY(chair->command({ChairAction::Admit, true, key.publicKey()}));
        QTRY_COMPARE_WITH_TIMEOUT(alex->state(), State::Member, 10000);

        // The chair may give every command; a participant none, and is told who may.
        for (const auto& rule : meeting::chairCommandRules()) {
            QVERIFY2(chair->mayCommand(rule.action, rule.on), rule.name.data());
            QVERIFY2(!alex->mayCommand(rule.action, rule.on), rule.name.data());
        }
        QVERIFY(chair->mayInvite());
        QVERIFY(!alex->mayInvite());
        const auto notChair = alex->command({ChairAction::Lock});
        QCOMPARE(QString::fromStdString(notChair.error().code),
                 QStringLiteral("meeting.not_chair"));
        QVERIFY(!chair->locked());

        // Named co-chair: exactly the rows the table lets a co-chair ask for.
        QVERIFY(chair->command({ChairAction::CoChair, true, key.publicKey()}));
        QTRY_VERIFY_WITH_TIMEOUT(alex->isCoChair(), 10000);
        for (const auto& rule : meeting::chairCommandRules())
            QCOMPARE(alex->mayCommand(rule.action, rule.on), rule.coChairMayAsk);
        const auto chairsAlone = alex->command({ChairAction::MuteAll, true});
        QVERIFY(chairsAlone); // mute-all is a co-chair's to ask for
        const auto notForCoChair = alex->command({ChairAction::Chat, false});
        QCOMPARE(QString::fromStdString(notForCoChair.error().code),
                 QStringLiteral("meeting.not_for_co_chair"));
        QVERIFY(alex->command({ChairAction::Lock}));
        QTRY_VERIFY_WITH_TIMEOUT(chair->locked(), 10000); // the chair carried the request out
        QTRY_VERIFY_WITH_TIMEOUT(alex->locked(), 10000);
        QVERIFY(chair->chatEnabled());

        // The roster says who may share, so a share button can offer the right direction.
        QVERIFY(chair->command({ChairAction::Share, true, key.publicKey()}));
        const auto members = chair->members();
        const auto alexRow = std::find_if(members.begin(), members.end(), [&](const auto& m) {
            return m.identity == key.publicKey();
        });
        QVERIFY(alexRow != members.end() && alexRow->mayShare && alexRow->coChair);
        chair->leave();
        QTRY_COMPARE_WITH_TIMEOUT(alex->state(), State::Ended, 10000);
        QCOMPARE(chair->ending(), conference::Ending::Ended);
        QTRY_COMPARE_WITH_TIMEOUT(alex->ending(), conference::Ending::Ended, 10000);
    }

    void policyRefusalsComeBackWithTheReasonAndAreAudited()
    {
        Device device; // the built-in policy: OFFICIAL only
        auto refused = conference::EmbeddedHost::hostMeeting(
            device.dir.path(), QHostAddress(QHostAddress::LocalHost), 0, device.context->identity(),
            device.policy, device.clock, setupFor(device.policy, "SECRET"), nullptr);
        QVERIFY(!refused);
        QVERIFY2(refused.error().code.rfind("policy.", 0) == 0, refused.error().code.c_str());

        auto chair = host(device);
        const auto raised =
            classification::MarkingParser(device.policy.scheme).parse("OFFICIAL-SENSITIVE");
        meeting::ChairCommand change{ChairAction::ChangeMarking};
        change.marking = raised->marking;
        const auto changed = chair->command(change);
        QVERIFY(!changed);
        QVERIFY(!changed.error().message.empty());
        QCOMPARE(chair->marking(), QStringLiteral("OFFICIAL"));
        const auto entries = device.context->audit().entries(1, 100).value();
        QVERIFY(std::any_of(entries.begin(), entries.end(), [](const storage::AuditEntry& e) {
            return e.category == "meeting.refused" && e.marking == "OFFICIAL";
        }));
    }

    void aMemberWhoseConnectionDropsResumesItsPlaceAndCatchesUp()
    {
        Device device;
        auto chair = host(device);
        MemberBehindProxy behind;
        QVERIFY(admitBehindProxy(*chair, device, QStringLiteral("Alex"), behind));
        auto& alex = behind.controller;
        auto& proxy = *behind.proxy;
        QSignalSpy alexEvents(alex.get(), &conference::MeetingController::eventsOccurred);
        QSignalSpy alexFinished(alex.get(), &conference::MeetingController::finished);

        // The path dies; meanwhile the chair locks the meeting, which changes the key.
        proxy.stall();
        QTRY_VERIFY_WITH_TIMEOUT(alex->reconnecting(), 5000);
        QVERIFY(kinds(alexEvents).contains(QStringLiteral("connection")));
        QVERIFY(chair->command({ChairAction::Lock}));
        QVERIFY(!alex->locked());
        QTest::qWait(2500); // attempts through the dead path fail; alex keeps trying
        QVERIFY(alex->reconnecting());
        QCOMPARE(alexFinished.count(), 0);
        QCOMPARE(chair->members().size(), size_t(2)); // its place is kept

        proxy.resume();
        QTRY_VERIFY_WITH_TIMEOUT(!alex->reconnecting(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(kinds(alexEvents).contains(QStringLiteral("resynced")), 10000);
        QCOMPARE(alex->state(), State::Member);
        QVERIFY(alex->locked()); // what it missed, it now holds
        QTRY_COMPARE_WITH_TIMEOUT(alex->mediaState()->epoch, chair->mediaState()->epoch, 5000);
        QCOMPARE(alex->securityCode(), chair->securityCode());
        QCOMPARE(chair->members().size(), size_t(2));
        // And the meeting is live for it again: chat both ways.
        QSignalSpy chairEvents(chair.get(), &conference::MeetingController::eventsOccurred);
        QVERIFY(alex->sendChat(QStringLiteral("back again")));
        QTRY_VERIFY_WITH_TIMEOUT(kinds(chairEvents).contains(QStringLiteral("chat")), 10000);
    }

    void aMemberSentToTheLobbyWhileAwayKnocksAgainWithItsInvite()
    {
        Device device;
        auto chair = host(device);
        MemberBehindProxy behind;
        QVERIFY(admitBehindProxy(*chair, device, QStringLiteral("Alex"), behind));
        auto& alex = behind.controller;
        auto& proxy = *behind.proxy;
        const auto& key = behind.key;

        proxy.stall();
        QTRY_VERIFY_WITH_TIMEOUT(alex->reconnecting(), 5000);
        // While alex is away, the chair sends it to the waiting room.
        QVERIFY(chair->command({ChairAction::ToLobby, true, key.publicKey()}));
        proxy.resume();
        // Refused its old place, alex starts a new join and knocks with the same invite.
        QTRY_COMPARE_WITH_TIMEOUT(chair->waiting().size(), size_t(1), 20000);
        QCOMPARE(alex->state(), State::Waiting);
        QVERIFY(chair->command({ChairAction::Admit, true, key.publicKey()}));
        QTRY_COMPARE_WITH_TIMEOUT(alex->state(), State::Member, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(alex->securityCode(), chair->securityCode(), 10000);
        QVERIFY(!alex->reconnecting());
    }

    void theDemoCastKnocksInItsThreeRoles()
    {
        Device device;
        auto setup = conference::DemoCast::meetingSetup(device.policy).value();
        auto chair = conference::EmbeddedHost::hostMeeting(
                         device.dir.path(), QHostAddress(QHostAddress::LocalHost), 0,
                         device.context->identity(), device.policy, device.clock, setup, nullptr)
                         .value();
        QSignalSpy created(chair.get(), &conference::ChairController::created);
        chair->start();
        QVERIFY(created.wait(10000));
        conference::DemoCast cast(*chair, device.policy, device.clock, std::nullopt);
        QVERIFY(cast.start());
        QTRY_COMPARE_WITH_TIMEOUT(chair->waiting().size(), size_t(3), 10000);
        std::map<QString, meeting::InviteMatch> invites;
        for (const auto& k : chair->waiting())
            invites[k.name] = k.invite;
        QCOMPARE(invites[QStringLiteral("Amelia Hart")], meeting::InviteMatch::Invited);
        QCOMPARE(invites[QStringLiteral("Sam Walker")], meeting::InviteMatch::Uninvited);
        QCOMPARE(invites[QStringLiteral("Jordan Reyes")], meeting::InviteMatch::Invited);

        // The disrupter starts once admitted; suspending silences them.
        QSignalSpy disruption(&cast, &conference::DemoCast::disruptionStarted);
        QSignalSpy chairEvents(chair.get(), &conference::MeetingController::eventsOccurred);
        const auto* jordan = cast.find(conference::DemoCast::Role::Disruptive);
        QVERIFY(chair->command({ChairAction::Admit, true, jordan->identity->publicKey()}));
        QVERIFY(disruption.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(kinds(chairEvents).count(QStringLiteral("chat")) >= 2, 10000);
        QVERIFY(chair->command({ChairAction::Suspend}));
        QTRY_VERIFY_WITH_TIMEOUT(jordan->controller->suspended(), 10000);
        const qsizetype chats = kinds(chairEvents).count(QStringLiteral("chat"));
        QTest::qWait(int(conference::DemoCast::kDisruptionEvery.count()) * 2);
        QCOMPARE(kinds(chairEvents).count(QStringLiteral("chat")), chats);
    }
};

QTEST_MAIN(TestConference)
#include "tst_conference.moc"
