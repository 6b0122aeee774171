// SPDX-License-Identifier: GPL-3.0-or-later
// MeetingMedia passing the hub's renewed TURN credentials on (useTurnCredentials): to the
// transport the first epoch made, paired with the policy's servers exactly as that transport's
// first ones were (call::turnAccessFor), never with a server of the hub's; nothing when the
// backend lists no TURN server or before there is a transport (it takes the latest when made);
// refused with why when the pairing is refused.
#include "TurnBackend.h"
#include "call/MeetingMedia.h"
#include "media/MediaElements.h"
#include "media/MediaMesh.h"

#include <QtTest>

#include <optional>
#include <vector>

using namespace conclave;
using calltest::kTurnCredential;
using calltest::kTurnUser;

namespace {

/// A meeting whose backend is `backend` (nothing else is asked here).
class FakeView : public meeting::MediaView {
public:
    const policy::Backend* backend = nullptr;

    std::optional<meeting::MediaState> mediaState() const override { return std::nullopt; }
    Result<crypto::MediaKey> mediaKey(uint32_t, crypto::MediaContext) const override
    {
        return makeError("test.no_key", "no keys here");
    }
    Result<void> postSignal(uint32_t, const QByteArray&) override { return {}; }
    std::vector<meeting::IncomingSignal> takeSignals() override { return {}; }
    const policy::Backend* meetingBackend() const override { return backend; }
    Result<meeting::MeetingEvents> setMuted(bool) override { return meeting::MeetingEvents{}; }
    Result<meeting::MeetingEvents> setVideo(bool) override { return meeting::MeetingEvents{}; }
    Result<meeting::MeetingEvents> setSharing(bool) override { return meeting::MeetingEvents{}; }
};

/// Records every list of TURN servers it is given.
class RecordingTransport : public media::MediaTransport {
public:
    explicit RecordingTransport(std::vector<std::vector<turn::TurnServer>>& given) : m_given(given)
    {
    }
    const char* name() const override { return "recording"; }
    void addMember(uint32_t, uint32_t, media::RemoteMember&) override {}
    void removeMember(uint32_t) override {}
    void startSending(uint32_t) override {}
    Result<void> onSignal(uint32_t, const QByteArray&) override { return {}; }
    uint64_t bytesSent() const override { return 0; }
    void stop() override {}
    void useTurnServers(std::vector<turn::TurnServer> servers) override
    {
        m_given.push_back(std::move(servers));
    }

private:
    std::vector<std::vector<turn::TurnServer>>& m_given;
};

media::EpochKeys firstEpoch()
{
    media::EpochKeys keys;
    keys.epoch = 1;
    keys.members[0];
    return keys;
}

} // namespace

class TestMeetingMedia : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(media::initialiseMedia()); }

    void init()
    {
        m_given.clear();
        m_view.backend = &m_backend;
        auto made = media::MediaMesh::create(
            media::MediaOptions{}, {},
            [this](const media::TransportContext&) -> std::unique_ptr<media::MediaTransport> {
                return std::make_unique<RecordingTransport>(m_given);
            });
        QVERIFY2(made, made ? "" : made.error().message.c_str());
        m_media = std::make_unique<call::MeetingMedia>(m_view, std::move(made).value());
    }

    void cleanup()
    {
        if (m_media)
            m_media->mesh().stop();
        m_media.reset();
    }

    void aRenewalGoesToTheTransportWithThePolicysServers()
    {
        m_media->mesh().applyEpoch(firstEpoch()); // makes the transport
        QVERIFY(m_media->mesh().transport());
        QVERIFY(m_media->useTurnCredentials({kTurnUser, kTurnCredential}));
        QCOMPARE(m_given.size(), size_t{1});
        const auto& servers = m_given[0];
        QCOMPARE(servers.size(), size_t{2});
        QCOMPARE(servers[0].url, QStringLiteral("turn:turn.example:443?transport=tcp"));
        QCOMPARE(servers[1].url, QStringLiteral("turn:turn.example:3478?transport=udp"));
        for (const auto& s : servers) {
            QCOMPARE(s.username, kTurnUser);
            QCOMPARE(s.credential, kTurnCredential);
        }
    }

    void beforeTheFirstEpochThereIsNoTransportToTell()
    {
        QVERIFY(!m_media->mesh().transport());
        QVERIFY(m_media->useTurnCredentials({kTurnUser, kTurnCredential}));
        QVERIFY(m_given.empty());
    }

    void aBackendWithoutTurnServersLeavesTheTransportsServersAlone()
    {
        m_backend.endpoints.resize(1); // the hub only
        m_backend.relayOnly = false;
        m_media->mesh().applyEpoch(firstEpoch());
        QVERIFY(m_media->useTurnCredentials({kTurnUser, kTurnCredential}));
        QVERIFY(m_given.empty());
        m_backend = calltest::backendWithTurn(true);
    }

    void credentialsThePairingRefusesAreNotPassedOn()
    {
        m_media->mesh().applyEpoch(firstEpoch());
        const auto refused = m_media->useTurnCredentials({QString(), kTurnCredential});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.turn_credentials"));
        QVERIFY(m_given.empty());
    }

private:
    policy::Backend m_backend = calltest::backendWithTurn(true);
    FakeView m_view;
    std::vector<std::vector<turn::TurnServer>> m_given;
    std::unique_ptr<call::MeetingMedia> m_media;
};

QTEST_GUILESS_MAIN(TestMeetingMedia)
#include "tst_meetingmedia.moc"
