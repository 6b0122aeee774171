// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conference/MeetingController.h"
#include "hub/HubServer.h"
#include "meeting/ChairSession.h"

namespace conclave::conference {

/// The chair's meeting on a live hub connection: its own embedded hub ("host on this
/// computer") or a standalone one. Chair commands go through command(), so each one's events
/// are shown, audited and its signed messages sent the same way.
class ChairController : public MeetingController {
    Q_OBJECT

public:
    /// `embeddedHub` is null for a meeting on a standalone hub.
    ChairController(std::unique_ptr<meeting::ChairSession> chair,
                    std::unique_ptr<client::HubClient> client,
                    std::unique_ptr<hub::HubServer> embeddedHub, storage::AuditLog* audit);
    ~ChairController() override;

    /// A meeting chaired here on a standalone hub (`setup.hubUrl`, pinned to `setup.hubPin`):
    /// the chair session is created - refused, with the policy's reason, when the policy does
    /// not approve the marking there. Not yet connected: call start(). (EmbeddedHost hosts
    /// one on this computer instead.)
    static Result<std::unique_ptr<ChairController>>
    onHub(const crypto::Ed25519SigningKey& identity, const policy::PolicyDocument& policy,
          const Clock& clock, const meeting::ChairSetup& setup, storage::AuditLog* audit);
    /// Announces the meeting and connects; `created()` follows once the hub registered it. A
    /// successor (see succeed) goes on instead: `took_over`, the roster and the epoch, and the
    /// takeover message goes out.
    void start() override;
    /// A co-chair's takeover: the chair controller that goes on on the connection (and with
    /// the media) the co-chair already had. Connect to its signals, then start() it.
    static std::unique_ptr<ChairController> succeed(std::unique_ptr<meeting::ChairSession> chair,
                                                    Handover handover, storage::AuditLog* audit);
    bool mayCommand(meeting::ChairAction action, bool on = true) const override;
    /// Carries the command out; its refusal comes back as is. `end` ends the meeting.
    Result<void> command(const meeting::ChairCommand& command) override;
    /// Where the waiting room looks up known keys (null: every key is a first contact).
    void setContactBook(meeting::ContactBook* contacts) { m_chair->setContactBook(contacts); }
    bool mayInvite() const override { return !m_chair->isSuccessor(); }
    Result<QString> makeInvite(const QString& name) override;
    Result<QString> makeMeetingLink() const override;

    const meeting::ChairSession& session() const { return *m_chair; }
    hub::HubServer* embeddedHub() { return m_embeddedHub.get(); }

    bool isChair() const override { return true; }
    QString title() const override { return m_chair->descriptor().title; }
    QString marking() const override { return m_chair->descriptor().marking; }
    QString securityCode() const override { return m_chair->meetingCode(); }
    std::vector<Member> members() const override;
    std::vector<Knocker> waiting() const override { return knockersOf(m_chair->lobby()); }
    bool chatEnabled() const override { return m_chair->chatEnabled(); }
    bool suspended() const override { return m_chair->suspended(); }
    bool locked() const override { return m_chair->locked(); }
    Result<void> sendChat(const QString& text) override;
    void leave() override;

signals:
    void created();

protected:
    meeting::MediaView& view() override { return *m_chair; }
    const meeting::MediaView& view() const override { return *m_chair; }
    std::vector<QByteArray> takeOutgoing() override { return m_chair->outgoing(); }
    meeting::MeetingEvents onTick() override { return m_chair->tick(); }
    void opened(const QString& pin) override;
    bool mayReconnect() const override;
    void rejoin(const QString& pin) override;

private:
    void onNotice(const hub::HubNotice& notice);

    std::unique_ptr<meeting::ChairSession> m_chair;
    std::unique_ptr<hub::HubServer> m_embeddedHub;
};

} // namespace conclave::conference
