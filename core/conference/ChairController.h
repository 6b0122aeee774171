// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conference/MeetingController.h"
#include "hub/HubServer.h"
#include "meeting/ChairSession.h"

#include <functional>

namespace conclave::conference {

/// The chair's meeting on a live hub connection: its own embedded hub ("host on this
/// computer") or a standalone one. Chair actions go through act(), so each one's events are
/// shown, audited and its signed messages sent the same way.
class ChairController : public MeetingController {
    Q_OBJECT

public:
    using Action = std::function<Result<meeting::MeetingEvents>(meeting::ChairSession&)>;

    /// `embeddedHub` is null for a meeting on a standalone hub.
    ChairController(std::unique_ptr<meeting::ChairSession> chair,
                    std::unique_ptr<client::HubClient> client,
                    std::unique_ptr<hub::HubServer> embeddedHub, storage::AuditLog* audit);
    ~ChairController() override;

    /// Announces the meeting and connects; `created()` follows once the hub registered it.
    void start();
    /// A co-chair's takeover: goes on as chair on the connection (and with the media) the
    /// co-chair already had; the takeover message queued on `chair` goes out now.
    static std::unique_ptr<ChairController> succeed(std::unique_ptr<meeting::ChairSession> chair,
                                                    Handover handover, storage::AuditLog* audit);
    /// Runs one chair action (admit, remove, lock, suspend ...); its refusal comes back as is.
    Result<void> act(const Action& action);
    /// Where the waiting room looks up known keys (null: every key is a first contact).
    void setContactBook(meeting::ContactBook* contacts) { m_chair->setContactBook(contacts); }
    /// A single-use invite link for one person, valid for a day.
    Result<QString> makeInvite(const QString& name);
    /// A link for uninvited knocking, where the meeting allows it.
    Result<QString> makeMeetingLink() const;

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

private:
    void onNotice(const hub::HubNotice& notice);

    std::unique_ptr<meeting::ChairSession> m_chair;
    std::unique_ptr<hub::HubServer> m_embeddedHub;
};

} // namespace conclave::conference
