// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hub/HubNotice.h"
#include "hub/HubState.h"
#include "hub/HubStateStore.h"

#include <QByteArray>
#include <QList>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace conclave::hubtest {

class TestMeeting;
class TestPerson;

/// What one connection received, split into hub notices and relayed envelopes.
struct Inbox {
    QList<hub::HubNotice> notices;
    QList<QByteArray> envelopes;

    bool isEmpty() const { return notices.isEmpty() && envelopes.isEmpty(); }
    /// The first notice of `kind`, if any.
    std::optional<hub::HubNotice> find(hub::HubNotice::Kind kind) const;
    /// "code" of the first refused/error notice, or empty.
    QString refusal() const;
    QString errorCode() const;
};

/// HubState with a fixed clock and a pretend socket layer: it records what each connection
/// would receive and, like HubServer, reports every closed connection back to the hub.
class HubHarness {
public:
    static inline const QString kChairSource = QStringLiteral("198.51.100.1");

    explicit HubHarness(hub::HubLimits limits = {},
                        hub::DescriptorGate gate = hub::DescriptorGate());

    FixedClock clock;
    hub::HubState hub;
    std::vector<hub::HubEvent> events;
    /// What the hub asked of its SFU rooms, in order (hub+janus).
    std::vector<hub::MediaRoomChange> mediaRooms;

    /// From now on, like HubServer, save what the hub notes to `store` (not owned) after
    /// every input, before its output is recorded; a failed save stops the test run.
    void keepState(hub::HubStateStore& store);
    /// A hub that has just (re)started: takes back what `store` holds, then keeps it up to
    /// date. The error of the load or the restore, if any (nothing is then taken).
    Result<void> restoreFrom(hub::HubStateStore& store);

    hub::ConnectionId connect(const QString& source = QStringLiteral("192.0.2.10"));
    void send(hub::ConnectionId id, const QByteArray& message);
    /// The peer goes away.
    void disconnect(hub::ConnectionId id);
    void advance(std::chrono::seconds s);

    /// Everything `id` received since the last take.
    Inbox take(hub::ConnectionId id);
    bool isClosed(hub::ConnectionId id) const { return m_closed.count(id) > 0; }
    int count(hub::HubEvent::Kind kind) const;

    // Scenario steps; a step that does not work as it always should stops the test run.
    /// The chair connects and creates `m`; its connection.
    hub::ConnectionId startMeeting(TestMeeting& m);
    /// `who` knocks with a personal invite and the chair admits it; every inbox left empty.
    hub::ConnectionId admitMember(TestMeeting& m, hub::ConnectionId chair, TestPerson& who,
                                  const QString& source = QStringLiteral("192.0.2.20"));
    /// A new connection knocks: "" when queued, else the refusal code. `connection` gets its id.
    QString knockCode(const QByteArray& knock, const QString& source = QStringLiteral("192.0.2.30"),
                      hub::ConnectionId* connection = nullptr);

private:
    void record(const hub::HubOutput& output);

    void save();

    hub::HubStateStore* m_store = nullptr;
    std::map<hub::ConnectionId, QList<QByteArray>> m_inbox;
    std::set<hub::ConnectionId> m_closed;
    hub::ConnectionId m_next = 1;
};

} // namespace conclave::hubtest
