// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "conference/ChairController.h"
#include "conference/ParticipantController.h"
#include "crypto/Ed25519.h"
#include "meeting/ChairSetup.h"
#include "policy/PolicyDocument.h"

#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace conclave::conference {

/// The three simulated people of `conclave --demo`, each a real participant (own identity
/// key, own pinned connection, own encrypted test media) knocking on the meeting this
/// device chairs: one invited, one uninvited (meeting link), and one invited person who
/// starts sharing their screen and flooding the chat once admitted - so a newcomer can
/// practise admit, deny, remove and suspend on one machine.
class DemoCast : public QObject {
    Q_OBJECT

public:
    enum class Role { Invited, Uninvited, Disruptive };
    struct Actor {
        Role role;
        QString name;
        std::unique_ptr<crypto::Ed25519SigningKey> identity;
        std::unique_ptr<ParticipantController> controller;
    };
    static constexpr std::chrono::milliseconds kKnockSpacing{300};
    static constexpr std::chrono::milliseconds kDisruptionEvery{1500};

    /// The demo meeting: OFFICIAL, on this computer, chat on, an open link for the uninvited
    /// knocker, and screen sharing for everyone (so the disruption shows at once).
    static Result<meeting::ChairSetup> meetingSetup(const policy::PolicyDocument& policy);

    /// `media`: each actor's test media (nullopt: control plane only, e.g. fast tests).
    DemoCast(ChairController& chair, const policy::PolicyDocument& policy, const Clock& clock,
             std::optional<media::MediaOptions> media);
    ~DemoCast() override;

    /// Makes the invites and the meeting link and has everyone knock, a moment apart.
    Result<void> start();
    const std::vector<Actor>& actors() const { return m_actors; }
    const Actor* find(Role role) const;

signals:
    /// The disruptive participant began (screen share, chat flood).
    void disruptionStarted(const QString& name);
    /// Something an actor could not do (for the log; a demo goes on).
    void actorProblem(const QString& name, const conclave::Error& error);

private:
    Result<void> addActor(Role role, const QString& name, const QString& link);
    void onAdmitted(Actor& actor);
    void disrupt();

    ChairController& m_chair;
    const policy::PolicyDocument& m_policy;
    const Clock& m_clock;
    std::optional<media::MediaOptions> m_media;
    std::vector<Actor> m_actors;
    QTimer m_disruption;
    int m_disruptions = 0;
};

} // namespace conclave::conference
