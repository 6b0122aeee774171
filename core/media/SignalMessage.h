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
///   or {"type":"restart"}: the sender made its end of the connection anew (it died while a
///   connection to the hub was down); the receiver does the same and awaits a new offer.
/// Every message also carries "link": which making of the pair's connection it belongs to (0,
/// then one more at each restart), so what an old link still had on its way is dropped.
struct SignalMessage {
    enum class Type { Offer, Answer, Ice, Restart };
    static constexpr qsizetype kMaxBytes = 60 * 1024;

    Type type = Type::Offer;
    QString sdp;
    int mline = 0;
    QString candidate;
    int link = 0; ///< 0 .. kMaxLink
    static constexpr int kMaxLink = 1 << 30;

    QByteArray encode() const;
    /// media.bad_signal, with what is wrong, for anything else.
    static Result<SignalMessage> decode(const QByteArray& bytes);
};

} // namespace conclave::media
