// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "meeting/ChairSession.h"
#include "meeting/MessageBodies.h"
#include "meeting/ParticipantSession.h"
#include "protocol/Envelope.h"

#include <QString>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace conclave::testsupport {

/// An in-memory stand-in for the hub: it routes the sessions' envelopes the way the real hub
/// does (knocks to the chair, chair messages to members, lobby/admitted/denied/removed hints)
/// and lets a test tamper with traffic on the way (`tamper` sees every envelope and may change
/// it, or return false to drop it). It collects every event for assertions.
class SessionHarness {
public:
    struct Participant {
        std::unique_ptr<crypto::Ed25519SigningKey> identity;
        std::unique_ptr<meeting::ParticipantSession> session;
        meeting::MeetingEvents events;
        bool inRoom = false;
    };

    SessionHarness(meeting::ChairSession& chair, QString hubPin)
        : m_chair(&chair), m_hubPin(std::move(hubPin))
    {
    }

    /// A co-chair took over, as the hub would see it: `successor` is the chair from now on,
    /// `former` (its participant session) no longer receives anything, and knockers see the
    /// delegation it took over with.
    void replaceChair(meeting::ChairSession& successor, const QString& former);

    std::function<bool(protocol::Envelope&, const QString& to)> tamper;
    /// What the hub shows knockers in the lobby; empty: the chair's descriptor in force.
    QByteArray lobbyDescriptor;
    /// false: the hub refuses the chair's descriptor revisions (drops them, confirms nothing).
    bool hubAcceptsRevisions = true;
    meeting::MeetingEvents chairEvents;

    Participant& join(const QString& name, const QString& link,
                      const policy::PolicyDocument& policy, const Clock& clock,
                      const QString& connectedPin = {});
    /// Moves messages until nobody has anything left to send.
    void pump();
    void deliverToChair(const QByteArray& wire);
    void deliverToParticipant(Participant& p, const QByteArray& wire);
    std::map<QString, Participant>& participants() { return m_participants; }

    /// How many events of kind T (e.g. meeting::ev::Knock) there are.
    template <meeting::EventStruct T>
    static int count(const meeting::MeetingEvents& events)
    {
        return int(std::count_if(events.begin(), events.end(),
                                 [](const meeting::MeetingEvent& e) { return e.is<T>(); }));
    }
    /// The code of a warning or a refusal; empty for any other kind.
    static QString codeOf(const meeting::MeetingEvent& e)
    {
        if (const auto* w = e.as<meeting::ev::Warning>())
            return w->code;
        if (const auto* r = e.as<meeting::ev::Refused>())
            return r->code;
        return {};
    }
    /// The fields of the last event of kind T, or nullptr.
    template <meeting::EventStruct T>
    static const T* last(const meeting::MeetingEvents& events)
    {
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (const T* found = it->as<T>())
                return found;
        return nullptr;
    }

private:
    void routeFromChair(const QByteArray& wire);
    void routeFromParticipant(Participant& from, const QByteArray& wire);
    Participant* byKey(const crypto::Ed25519PublicKey& key);
    bool passes(protocol::Envelope& e, const QString& to, QByteArray& wire);

    meeting::ChairSession* m_chair;
    QString m_hubPin;
    QByteArray m_succession;
    std::map<QString, Participant> m_participants;
};

} // namespace conclave::testsupport
