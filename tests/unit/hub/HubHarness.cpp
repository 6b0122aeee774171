// SPDX-License-Identifier: GPL-3.0-or-later
#include "HubHarness.h"

#include "TestMeeting.h"

namespace conclave::hubtest {

std::optional<hub::HubNotice> Inbox::find(hub::HubNotice::Kind kind) const
{
    for (const auto& n : notices)
        if (n.kind == kind)
            return n;
    return std::nullopt;
}

QString Inbox::refusal() const
{
    const auto n = find(hub::HubNotice::Kind::Refused);
    return n ? n->code : QString();
}

QString Inbox::errorCode() const
{
    const auto n = find(hub::HubNotice::Kind::Error);
    return n ? n->code : QString();
}

namespace {

/// Most hub tests are about other rules: without a chair list of its own, a test hub hosts
/// any chair (the allow list has tests of its own).
hub::HubLimits anyChairUnlessListed(hub::HubLimits limits)
{
    if (limits.allowedChairs.isEmpty())
        limits.allowAnyChair = true;
    return limits;
}

} // namespace

HubHarness::HubHarness(hub::HubLimits limits, hub::DescriptorGate gate)
    : clock(TestMeeting::now()),
      hub(anyChairUnlessListed(std::move(limits)), clock, std::move(gate))
{
}

void HubHarness::keepState(hub::HubStateStore& store)
{
    m_store = &store;
    hub.keepChanges();
    save();
}

Result<void> HubHarness::restoreFrom(hub::HubStateStore& store)
{
    auto snapshot = store.load();
    if (!snapshot)
        return snapshot.error();
    hub.keepChanges();
    auto restored = hub.restore(*snapshot);
    if (!restored)
        return restored.error();
    keepState(store);
    record(*restored);
    return {};
}

void HubHarness::save()
{
    if (!m_store)
        return;
    if (auto saved = m_store->save(hub.takeChanges()); !saved)
        qFatal("the hub's state was not saved: %s", saved.error().message.c_str());
}

hub::ConnectionId HubHarness::connect(const QString& source)
{
    const hub::ConnectionId id = m_next++;
    record(hub.open(id, source));
    return id;
}

void HubHarness::send(hub::ConnectionId id, const QByteArray& message)
{
    if (!isClosed(id))
        record(hub.receive(id, message));
}

void HubHarness::disconnect(hub::ConnectionId id)
{
    if (m_closed.insert(id).second)
        record(hub.closed(id));
}

void HubHarness::advance(std::chrono::seconds s)
{
    clock.advance(s);
    record(hub.tick());
}

Inbox HubHarness::take(hub::ConnectionId id)
{
    Inbox inbox;
    for (const QByteArray& message : m_inbox[id]) {
        if (!hub::HubNotice::isNotice(message)) {
            inbox.envelopes << message;
            continue;
        }
        auto notice = hub::HubNotice::decode(message);
        if (!notice)
            qFatal("the hub sent a notice it cannot decode: %s", notice.error().message.c_str());
        inbox.notices << *notice;
    }
    m_inbox[id].clear();
    return inbox;
}

int HubHarness::count(hub::HubEvent::Kind kind) const
{
    int n = 0;
    for (const auto& e : events)
        n += e.kind == kind ? 1 : 0;
    return n;
}

hub::ConnectionId HubHarness::startMeeting(TestMeeting& m)
{
    const hub::ConnectionId chair = connect(kChairSource);
    send(chair, m.create());
    if (!take(chair).find(hub::HubNotice::Kind::Created))
        qFatal("the test meeting was not created");
    return chair;
}

hub::ConnectionId HubHarness::admitMember(TestMeeting& m, hub::ConnectionId chair, TestPerson& who,
                                          const QString& source)
{
    const hub::ConnectionId c = connect(source);
    send(c, m.knock(who, m.invite(&who)));
    if (!take(c).find(hub::HubNotice::Kind::Lobby))
        qFatal("the test knock was not queued");
    send(chair, m.admit(who));
    if (!take(c).find(hub::HubNotice::Kind::Admitted))
        qFatal("the test member was not admitted");
    take(chair);
    return c;
}

QString HubHarness::knockCode(const QByteArray& knock, const QString& source,
                              hub::ConnectionId* connection)
{
    const hub::ConnectionId c = connect(source);
    if (connection)
        *connection = c;
    send(c, knock);
    const Inbox inbox = take(c);
    if (inbox.find(hub::HubNotice::Kind::Lobby))
        return QString();
    if (!isClosed(c))
        qFatal("a refused knock left its connection open");
    return inbox.refusal();
}

void HubHarness::record(const hub::HubOutput& output)
{
    save(); // as HubServer: saved before anything is sent
    std::vector<hub::ConnectionId> closing;
    for (const auto& action : output.actions()) {
        if (isClosed(action.connection))
            continue; // as on a socket: nothing arrives after the close
        if (action.kind == hub::HubAction::Kind::Send) {
            m_inbox[action.connection] << action.bytes;
        } else {
            m_closed.insert(action.connection);
            closing.push_back(action.connection);
        }
    }
    events.insert(events.end(), output.events().begin(), output.events().end());
    mediaRooms.insert(mediaRooms.end(), output.mediaRoomChanges().begin(),
                      output.mediaRoomChanges().end());
    for (hub::ConnectionId id : closing)
        record(hub.closed(id));
}

} // namespace conclave::hubtest
