// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace conclave::janus {

/// A session description as Janus carries it next to a plugin message (`jsep`).
struct Jsep {
    QString type; ///< "offer" or "answer"
    QString sdp;
    /// Declares the media end-to-end encrypted: a room with `require_e2ee` refuses a publisher
    /// whose offer does not say so (our SFrame is what actually protects it).
    bool e2ee = false;

    QJsonObject toJson() const
    {
        QJsonObject j{{"type", type}, {"sdp", sdp}};
        if (e2ee)
            j.insert("e2ee", true);
        return j;
    }
    /// The jsep of a Janus message, when it has one with an SDP.
    static std::optional<Jsep> from(const QJsonObject& message)
    {
        const QJsonObject j = message.value("jsep").toObject();
        if (j.value("sdp").toString().isEmpty())
            return std::nullopt;
        return Jsep{j.value("type").toString(), j.value("sdp").toString(),
                    j.value("e2ee").toBool()};
    }
};

/// What a plugin answered a request with: its data (`plugindata.data`) and, when Janus sends
/// one (a publisher's answer, a subscriber's offer), the jsep.
struct PluginReply {
    QJsonObject data;
    std::optional<Jsep> jsep;
};

/// Something Janus says about a handle without being asked (no pending transaction): a
/// plugin event (a subscriber's `updated` with a new offer, a publisher list, `unpublished`,
/// `leaving`, `kicked`) or a Janus core event about the handle's PeerConnection.
struct JanusEvent {
    enum class Kind {
        Plugin,   ///< `event`: `data` is plugindata.data, `jsep` when Janus sent one
        WebrtcUp, ///< the PeerConnection is up (ICE + DTLS done)
        Hangup,   ///< the PeerConnection is gone; `reason` says why
        Media,    ///< Janus started or stopped receiving a medium (`data`: type, mid, receiving)
        Slowlink, ///< Janus sees losses on this PeerConnection (`data`: uplink, mid, lost...)
        Detached, ///< the handle no longer exists in Janus
        Trickle,  ///< a candidate of Janus's (`data`: candidate object, or completed)
    };
    Kind kind = Kind::Plugin;
    qint64 handle = 0;
    QJsonObject data;
    std::optional<Jsep> jsep;
    QString reason;
};

} // namespace conclave::janus

Q_DECLARE_METATYPE(conclave::janus::JanusEvent)
