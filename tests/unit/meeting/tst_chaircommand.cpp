// SPDX-License-Identifier: GPL-3.0-or-later
// The chair-command table (meeting/ChairCommand): one row per named command, read by the
// front-ends, the controllers, the wire decoder of a co-chair's requests and
// ChairSession::perform - which carries out every row.
#include "PolicyFixture.h"
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"
#include "meeting/ChairSession.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::mark;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

class TestChairCommand : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    /// A chair with Alice and Bob admitted and Carol (invited) waiting.
    struct Room {
        std::unique_ptr<ChairSession> chair;
        std::unique_ptr<SessionHarness> hub;
        crypto::Ed25519PublicKey key(const char* name)
        {
            return hub->participants().at(QLatin1String(name)).identity->publicKey();
        }
    };
    Room room()
    {
        Room r{ChairSession::create(m_chairKey, m_policy, m_clock,
                                    setup("OFFICIAL-SENSITIVE", "this-computer", "pinA"))
                   .value(),
               nullptr};
        r.chair->announce();
        r.hub = std::make_unique<SessionHarness>(*r.chair, QStringLiteral("pinA"));
        for (const char* name : {"Alice", "Bob", "Carol"})
            r.hub->join(
                QLatin1String(name),
                r.chair->makeInvite(QLatin1String(name), std::nullopt, std::chrono::hours(1))
                    .value(),
                m_policy, m_clock);
        r.hub->pump();
        for (const char* name : {"Alice", "Bob"}) {
            if (!r.chair->admit(r.key(name)))
                qFatal("admit failed");
            r.hub->pump();
        }
        return r;
    }

private slots:
    void everyActionHasItsRowsAndNamesAreUnique()
    {
        std::set<std::string_view> names;
        for (const ChairCommandRule& rule : chairCommandRules()) {
            QVERIFY2(names.insert(rule.name).second, rule.name.data());
            QCOMPARE(chairCommandNamed(rule.name), &rule);
            QCOMPARE(&ruleOf(rule.action, rule.on), &rule);
            QCOMPARE((ChairCommand{rule.action, rule.on}.name()), rule.name);
        }
        for (int a = int(ChairAction::Admit); a <= int(ChairAction::End); ++a) {
            const ChairCommandRule& rule = ruleOf(ChairAction(a));
            QCOMPARE(int(rule.action), a); // no action without a row
        }
        QVERIFY(!chairCommandNamed("take-over")); // a co-chair's own act, not a chair command
    }

    void aCoChairMayAskForWhatTheWireCarries()
    {
        const auto someone = crypto::Ed25519SigningKey::generate().publicKey();
        QCOMPARE(coChairRequestNames(),
                 std::string("admit, deny, remove, to-lobby, lock, unlock, mute-all, suspend, "
                             "resume"));
        for (const ChairCommandRule& rule : chairCommandRules()) {
            ChairCommand command{rule.action, rule.on};
            if (rule.target != CommandTarget::Meeting)
                command.target = someone;
            const auto decoded = RequestBody::decode(RequestBody{command}.encode());
            QCOMPARE(decoded.ok(), rule.coChairMayAsk);
            if (decoded)
                QCOMPARE(decoded->command.name(), rule.name);
            else
                QVERIFY(decoded.error().message.find(std::string(rule.name)) != std::string::npos);
        }
    }

    void performCarriesOutEveryRow()
    {
        // What each row does, seen in the first event it produces.
        const std::map<std::string_view, QString> firstEvent{
            // Carol's key is a first contact: admitting all the invited leaves her waiting.
            {"admit", "admitted"},
            {"admit-all", "warning"},
            {"deny", "denied"},
            {"remove", "removed"},
            {"to-lobby", "sent_to_lobby"},
            {"lock", "locked"},
            {"unlock", "unlocked"},
            {"mute-all", "muted_all"},
            {"mute", "muted"},
            {"ask-unmute", "unmute_asked"},
            {"stop-video", "video_stopped"},
            {"allow-share", "share_allowed"},
            {"revoke-share", "share_revoked"},
            {"chat-on", "chat_enabled"},
            {"chat-off", "chat_disabled"},
            {"suspend", "suspended"},
            {"resume", "resumed"},
            {"marking", "marking_change_sent"},
            {"co-chair", "co_chair"},
            {"revoke-co-chair", "co_chair_revoked"},
            {"end", "ended"}};
        QCOMPARE(firstEvent.size(), chairCommandRules().size());
        for (const ChairCommandRule& rule : chairCommandRules()) {
            Room r = room();
            ChairCommand command{rule.action, rule.on};
            if (rule.target == CommandTarget::Knocker)
                command.target = r.key("Carol");
            if (rule.target == CommandTarget::Member)
                command.target = r.key("Bob");
            if (rule.action == ChairAction::ChangeMarking) {
                command.marking = mark("OFFICIAL");
                command.confirmed = true; // a lowering
            }
            if (!rule.on) { // the way back from the state the other row sets
                ChairCommand there = command;
                there.on = true;
                QVERIFY2(r.chair->perform(there), rule.name.data());
            }
            const auto events = r.chair->perform(command);
            QVERIFY2(events, (std::string(rule.name) + ": " +
                              (events ? std::string() : events.error().message))
                                 .c_str());
            const auto seen = std::find_if(events->begin(), events->end(), [&](const auto& e) {
                return e.kindName() == firstEvent.at(rule.name);
            });
            QVERIFY2(seen != events->end(), rule.name.data());
            if (rule.action == ChairAction::AdmitAllInvited)
                QCOMPARE(seen->template as<ev::Warning>()->code,
                         QStringLiteral("lobby.unverified_left_waiting"));
        }
    }

    void aCommandOnSomeoneNeedsThem()
    {
        Room r = room();
        for (const ChairCommandRule& rule : chairCommandRules()) {
            if (rule.target == CommandTarget::Meeting)
                continue;
            const auto refused = r.chair->perform({rule.action, rule.on});
            QVERIFY2(!refused, rule.name.data());
            QCOMPARE(refused.error().code, std::string("usage"));
        }
    }

    // What a successor is then refused is tested with a real takeover in tst_cochairsessions
    // and, for the buttons, tst_meetingwindow; here: which rows the table reserves.
    void onlyTheMarkingAndCoChairsNeedTheOriginalChair()
    {
        for (const ChairCommandRule& rule : chairCommandRules())
            QCOMPARE(rule.originalChairOnly, rule.action == ChairAction::ChangeMarking ||
                                                 rule.action == ChairAction::CoChair);
    }
};

QTEST_GUILESS_MAIN(TestChairCommand)
#include "tst_chaircommand.moc"
