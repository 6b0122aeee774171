// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conference/ChairController.h"
#include "conference/MeetingController.h"
#include "meeting/MessageBodies.h"
#include "meeting/ParticipantSession.h"

namespace conclave::conference {

/// A participant's meeting on a pinned hub connection: knocks on connecting, waits, is
/// admitted (or not). `stateChanged` follows the session (Waiting, Member, Removed ...).
class ParticipantController : public MeetingController {
    Q_OBJECT

public:
    using State = meeting::ParticipantSession::State;

    ParticipantController(std::unique_ptr<meeting::ParticipantSession> session,
                          std::unique_ptr<client::HubClient> client, storage::AuditLog* audit);
    ~ParticipantController() override;

    /// Connects and knocks.
    void start() override;
    State state() const { return m_session->state(); }
    const meeting::ParticipantSession& session() const { return *m_session; }
    /// A co-chair may ask for what the table lets it (admit, deny, remove, lock, suspend ...).
    bool mayCommand(meeting::ChairAction action, bool on = true) const override;
    /// A co-chair's signed request to the chair; refused for anyone else.
    Result<void> command(const meeting::ChairCommand& command) override;

    bool isChair() const override { return false; }
    bool isCoChair() const override { return m_session->isCoChair(); }
    bool canTakeOver() const override
    {
        return m_session->isCoChair() && m_session->chairSilent() && state() == State::Member;
    }
    /// Takes the chair over (docs/protocol.md §7): returns the chair controller that goes on
    /// with this connection and media (connect to it, then start() it); this controller is
    /// finished and sends nothing more. Refused (with the
    /// session's reason) unless this member is co-chair and the chair has gone quiet.
    Result<std::unique_ptr<ChairController>> takeOver();
    QString title() const override;
    QString marking() const override;
    QString securityCode() const override;
    std::vector<Member> members() const override;
    std::vector<Knocker> waiting() const override;
    bool chatEnabled() const override { return m_session->chatEnabled(); }
    bool suspended() const override { return m_session->suspended(); }
    bool locked() const override { return m_session->locked(); }
    Result<void> sendChat(const QString& text) override;
    void leave() override;

signals:
    void stateChanged(conclave::meeting::ParticipantSession::State state);

protected:
    meeting::MediaView& view() override { return *m_session; }
    const meeting::MediaView& view() const override { return *m_session; }
    std::vector<QByteArray> takeOutgoing() override { return m_session->outgoing(); }
    void opened(const QString& pin) override;
    bool mayReconnect() const override;
    void rejoin(const QString& pin) override;
    meeting::MeetingEvents onTick() override { return m_session->tick(); }

private:
    void onNotice(const hub::HubNotice& notice);
    void afterSession(const meeting::MeetingEvents& events);

    std::unique_ptr<meeting::ParticipantSession> m_session;
    State m_lastState;
};

} // namespace conclave::conference
