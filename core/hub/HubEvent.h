// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <string_view>

namespace conclave::hub {

/// Something an operator may want in the hub's log. Deliberately thin: meeting id, key ids,
/// the source address and a code - never names, titles, chat or anything else a meeting says.
struct HubEvent {
    enum class Kind {
        ConnectionRefused, ///< over a connection limit (code connections.*)
        MeetingCreated,    ///< detail: the descriptor's marking
        ChairReturned,     ///< the chair reconnected to its meeting
        ChairChanged,      ///< a delegated co-chair took over from a silent or absent chair
        CoChair,           ///< detail: "granted" / "withdrawn"
        MeetingEnded,      ///< detail: "ended by the chair" / "empty"
        KnockQueued,
        KnockRefused, ///< code: why (meeting.locked, rate_limited ...)
        Admitted,
        Denied,
        Banned, ///< after a removal or a second denial
        Removed,
        Left,            ///< detail: "leave", "disconnected", "timed out", "withdrew"
        Away,            ///< a member's connection went; its place is kept (resumeGrace)
        Resumed,         ///< a member that was away (or reconnected) resumed its place
        Control,         ///< detail: the control action (lock, suspend, end ...)
        Dropped,         ///< one invalid message (code: why)
        Unauthorised,    ///< a chair-only message not signed by the chair
        Disconnected,    ///< the hub closed a connection: invalid messages, slow reader, silence
        MediaRoom,       ///< detail: "opened on URL", "moved to URL", "closed" (hub+janus)
        MediaRoomFailed, ///< code, reason: a Janus request for a meeting's room failed
        JanusInstance,   ///< detail: "URL ready" / "URL lost"; code, reason when lost
        MeetingRestored, ///< taken back from the saved state at start; detail: members away
        StateNotSaved,   ///< code, reason: the saved state could not be written (retried)
        StateSaved,      ///< the saved state is written again after StateNotSaved
    };

    Kind kind = Kind::Dropped;
    QByteArray meetingId; ///< 16 bytes or empty
    QByteArray identity;  ///< 32-byte key or empty
    QString source;       ///< source address key (SourceLimiter::sourceKey)
    QString code;
    QString reason;
    QString detail;

    /// {"event": name, "meeting": hex, "identity": key id, "source", "code", "reason",
    /// "detail"}; absent fields are left out.
    QJsonObject toJson() const;
};

std::string_view toString(HubEvent::Kind kind);

} // namespace conclave::hub
