// SPDX-License-Identifier: GPL-3.0-or-later
// HubState, third part: taking back the meetings the hub had saved before it restarted
// (docs/operations.md, "The hub's saved state"). The rules are in HubState.cpp and
// HubStateMessages.cpp; nothing here relaxes them.
#include "hub/HubState.h"

namespace conclave::hub {
namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

Result<HubOutput> HubState::restore(const HubSnapshot& snapshot)
{
    if (!m_meetings.empty() || !m_connections.empty())
        return makeError("hub.state_restore",
                         "internal error: saved meetings are taken only by a hub that has just "
                         "started");
    const TimePoint now = m_clock.now();
    HubOutput out;
    std::map<QByteArray, HubMeeting> restored;
    HubChanges forgotten;
    for (const MeetingRecord& record : snapshot.meetings) {
        const std::string where = "the saved meeting " + record.meetingId.toHex().toStdString();
        auto descriptor = meeting::MeetingDescriptor::fromSigned(record.signedDescriptor);
        if (!descriptor)
            return makeError("hub.state_corrupt", where +
                                                      " has a descriptor that does not verify (" +
                                                      descriptor.error().message + ")");
        if (descriptor->meetingId != record.meetingId || restored.count(record.meetingId))
            return makeError("hub.state_corrupt",
                             where + " is saved under another id than its descriptor's, or twice");
        // Hosted only if it would be created here now: the hub may have come back with another
        // key or policy, and a meeting it would refuse today is not carried over.
        auto hostable =
            m_gate.checkNew(record.signedDescriptor, record.meetingId, descriptor->chair, now);
        if (!hostable || record.members.empty()) {
            HubEvent ev;
            ev.kind = HubEvent::Kind::MeetingEnded;
            ev.meetingId = record.meetingId;
            ev.detail = QStringLiteral("not restored");
            if (!hostable) {
                ev.code = text(hostable.error().code);
                ev.reason = text(hostable.error().message);
            }
            out.event(std::move(ev));
            forgotten.push_back(
                {.kind = HubChange::Kind::Closed, .meetingId = record.meetingId, .on = false});
            continue;
        }
        auto m = HubMeeting::fromRecord(std::move(hostable).value(), record, now);
        if (!m)
            return m.error();
        restored.emplace(record.meetingId, std::move(m).value());
    }

    // Everything checked: only now does the hub take it.
    m_meetings = std::move(restored);
    for (const QByteArray& id : snapshot.ended)
        m_ended.insert(id);
    for (auto& [meetingId, m] : m_meetings) {
        if (m_keepChanges)
            m.keepChanges(&m_changes, false);
        out.mediaRoom({MediaRoomChange::Kind::Open, meetingId, {}, 0});
        HubEvent ev;
        ev.kind = HubEvent::Kind::MeetingRestored;
        ev.meetingId = meetingId;
        ev.detail = QStringLiteral("%1 members away").arg(m.members().size());
        out.event(std::move(ev));
    }
    if (m_keepChanges)
        m_changes.insert(m_changes.end(), forgotten.begin(), forgotten.end());
    return out;
}

} // namespace conclave::hub
