// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace conclave::janus {

/// What a member's client needs to take part in one VideoRoom: from the hub (room id and the
/// single-use token it put on the room's `allowed` list) and from the roster (the feed id,
/// janus::feedIdFor).
struct VideoRoomJoin {
    std::uint64_t room = 0;
    std::uint64_t feed = 0;
    QString token;
};

/// The label a publisher gives each of its streams (Janus's `descriptions`), so subscribers
/// can tell the camera from the screen share of one feed. Janus learns only these words.
struct StreamLabel {
    QString mid;
    QString description; ///< "audio", "camera" or "screen"
};

/// One stream of a multistream subscription, as Janus lists it in `attached` / `updated`: the
/// subscriber PeerConnection's m-line `mid` carries `feed`'s stream `feedMid`.
struct SubscribedStream {
    enum class Type { Audio, Video, Data };
    QString mid;
    int mindex = -1;
    Type type = Type::Audio;
    /// 0 when the stream has no publisher any more (inactive: the m-line stays, carrying nothing).
    std::uint64_t feed = 0;
    QString feedMid;
    /// The publisher's StreamLabel for it ("camera", "screen", ...), empty when it gave none.
    QString description;
    bool active = false;

    friend bool operator==(const SubscribedStream&, const SubscribedStream&) = default;
};

/// Why a feed went away, as other members' publishers hear it.
enum class FeedGone { Unpublished, Left, Kicked };

} // namespace conclave::janus

Q_DECLARE_METATYPE(conclave::janus::FeedGone)
