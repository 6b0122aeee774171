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
struct SignalMessage {
    enum class Type { Offer, Answer, Ice };
    static constexpr qsizetype kMaxBytes = 60 * 1024;

    Type type = Type::Offer;
    QString sdp;
    int mline = 0;
    QString candidate;

    QByteArray encode() const;
    /// media.bad_signal, with what is wrong, for anything else.
    static Result<SignalMessage> decode(const QByteArray& bytes);
};

} // namespace conclave::media
