// SPDX-License-Identifier: GPL-3.0-or-later
// "This computer" means this computer (docs/policy.md, "Embedded backends"): a chair cannot run
// an embedded backend's meeting on a hub elsewhere, and above OFFICIAL a meeting on a network
// address must be hosted by a managed device the policy lists - which joiners check too.
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"

#include <QJsonArray>
#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::mark;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

class TestEmbeddedHosting : public QObject {
    Q_OBJECT

    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();
    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    /// The same policy, listing this chair's device as a host of the embedded backend.
    policy::PolicyDocument m_listing = policyListing(m_chairKey.publicKey());

    static policy::PolicyDocument policyListing(const crypto::Ed25519PublicKey& host)
    {
        QJsonObject json = PolicyFixture::validPolicy();
        QJsonArray backends = json.value("backends").toArray();
        QJsonObject embedded = backends[0].toObject();
        embedded.insert(
            "hosts",
            QJsonArray{QString::fromLatin1(
                QByteArray(reinterpret_cast<const char*>(host.bytes.data()), 32).toBase64())});
        backends[0] = embedded;
        json.insert("backends", backends);
        return policyFrom(json);
    }

    /// An embedded meeting whose hub listens on a network address (not loopback).
    static ChairSetup onTheNetwork(const char* marking)
    {
        ChairSetup s = setup(marking, "this-computer", QStringLiteral("pinA"));
        s.hubUrl = QStringLiteral("wss://192.0.2.10:9443");
        return s;
    }

private slots:
    void anEmbeddedBackendCannotBeAHubElsewhere()
    {
        ChairSetup elsewhere = setup("OFFICIAL", "this-computer", QStringLiteral("pinA"));
        elsewhere.hostedHere = false; // e.g. conclave-cli host --backend this-computer --hub …
        elsewhere.hubUrl = QStringLiteral("wss://hub.elsewhere.example:443");
        QCOMPARE(ChairSession::create(m_chairKey, m_policy, m_clock, elsewhere).error().code,
                 std::string("policy.embedded_elsewhere"));
    }

    void aboveOfficialOnTheNetworkNeedsAListedHost()
    {
        QVERIFY(ChairSession::create(m_chairKey, m_policy, m_clock, onTheNetwork("OFFICIAL")).ok());
        const auto refused =
            ChairSession::create(m_chairKey, m_policy, m_clock, onTheNetwork("OFFICIAL-SENSITIVE"));
        QCOMPARE(refused.error().code, std::string("policy.embedded_host_not_listed"));
        QVERIFY(
            ChairSession::create(m_chairKey, m_listing, m_clock, onTheNetwork("OFFICIAL-SENSITIVE"))
                .ok());
        // On loopback only people at this computer can reach it: allowed.
        QVERIFY(ChairSession::create(m_chairKey, m_policy, m_clock,
                                     setup("OFFICIAL-SENSITIVE", "this-computer", "pinA"))
                    .ok());

        // Raising the marking later is held to the same rule.
        auto official =
            ChairSession::create(m_chairKey, m_policy, m_clock, onTheNetwork("OFFICIAL"));
        QCOMPARE((*official)->changeMarking(mark("OFFICIAL-SENSITIVE"), false).error().code,
                 std::string("policy.embedded_host_not_listed"));
    }

    void joinersCheckTheHostThemselves()
    {
        // The chair's device is listed in its own copy of the policy; the joiners' copy is what
        // counts for them.
        auto chair = ChairSession::create(m_chairKey, m_listing, m_clock,
                                          onTheNetwork("OFFICIAL-SENSITIVE"));
        QVERIFY(chair.ok());
        (*chair)->announce();
        SessionHarness hub(**chair, QStringLiteral("pinA"));
        const auto invite = [&](const char* name) {
            return (*chair)
                ->makeInvite(QString::fromLatin1(name), std::nullopt, std::chrono::hours(1))
                .value();
        };
        auto& listed = hub.join("Alice", invite("Alice"), m_listing, m_clock);
        auto& unlisted = hub.join("Bob", invite("Bob"), m_policy, m_clock);
        hub.pump();
        QCOMPARE(listed.session->state(), ParticipantSession::State::Waiting);
        QCOMPARE(unlisted.session->state(), ParticipantSession::State::Refused);
        QCOMPARE(SessionHarness::last<meeting::ev::Refused>(unlisted.events)->code,
                 QStringLiteral("policy.embedded_host_not_listed"));
    }
};

QTEST_GUILESS_MAIN(TestEmbeddedHosting)
#include "tst_embeddedhosting.moc"
