// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>

namespace conclave::media {

/// What two members' media layers tell each other to set up their connection (SDP offer and
/// answer, ICE candidates). It travels in the signed `signal` message through the hub
/// (docs/protocol.md §3), which cannot read or change it unnoticed; it holds no key: media
/// keys come only from the meeting key schedule. JSON:
///   {"type":"offer"|"answer","sdp":…}  or  {"type":"ice","mline":N,"candidate":…}
///   or {"type":"restart"} (the answerer asks the offerer for a new link),
/// each with "link":G when it is about a link made anew (G > 0: the G-th remaking of the pair's
/// link; absent for the first, so messages of a link never remade are as before).
struct SignalMessage {
    enum class Type { Offer, Answer, Ice, Restart };
    static constexpr qsizetype kMaxBytes = 60 * 1024;

    Type type = Type::Offer;
    QString sdp;
    int mline = 0;
    QString candidate;
    uint32_t link = 0; ///< which making of the pair's link it belongs to (MeshTransport)

    QByteArray encode() const;
    /// media.bad_signal, with what is wrong, for anything else.
    static Result<SignalMessage> decode(const QByteArray& bytes);
};

} // namespace conclave::media
