// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/MediaKeyId.h"
#include "crypto/Roster.h"
#include "meeting/MeetingEvent.h"
#include "policy/Backend.h"

#include <QByteArray>

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace conclave::meeting {

/// What the media layer needs to know of this member's meeting right now.
struct MediaState {
    uint64_t epoch = 0;
    uint32_t ownIndex = 0;
    uint16_t suite = 0;
    crypto::Roster roster;
    /// Roster indices whose screen share everyone may decrypt (the chair, those it allowed,
    /// everyone when the descriptor says so). Nobody else gets a screen key.
    std::set<uint32_t> sharers;
    /// Roster indices known to hold this epoch's keys (they acknowledged it; the chair made
    /// it). When everyone does, senders switch to the new keys at once.
    std::set<uint32_t> holding;
    /// What this member may send now: mute, stop video, suspend and share permission applied.
    bool audio = false;
    bool video = false;
    bool screen = false;
};

/// A media set-up message from another member, already checked: signed by a roster member
/// and addressed to this one.
struct IncomingSignal {
    uint32_t from = 0;
    QByteArray payload;
};

/// The media layer's view of a chair or participant session (core/call/MeetingMedia uses it):
/// the roster and keys of the current epoch, what this member may send, and the signed
/// `signal` messages that set up the peer connections.
class MediaView {
public:
    virtual ~MediaView() = default;
    /// Nothing until this member holds a key (a knocker sends and receives no media).
    virtual std::optional<MediaState> mediaState() const = 0;
    virtual Result<crypto::MediaKey> mediaKey(uint32_t senderIndex,
                                              crypto::MediaContext context) const = 0;
    /// Queues a signed `signal` to the member at roster index `to`.
    virtual Result<void> postSignal(uint32_t to, const QByteArray& payload) = 0;
    virtual std::vector<IncomingSignal> takeSignals() = 0;
    /// The backend the meeting runs on as this member's own policy describes it (its kind
    /// says which media transport to use, its endpoints which SFU addresses and pins to
    /// trust); nullptr before the descriptor is known or when the policy does not list it.
    virtual const policy::Backend* meetingBackend() const = 0;

    // This member's own choices; nobody can unmute or restart someone else.
    virtual Result<MeetingEvents> setMuted(bool muted) = 0;
    virtual Result<MeetingEvents> setVideo(bool on) = 0;
    /// Refused without the chair's permission where it is needed.
    virtual Result<MeetingEvents> setSharing(bool on) = 0;
};

} // namespace conclave::meeting
