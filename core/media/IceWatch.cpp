// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/IceWatch.h"

#include <QStringList>

#include <gst/webrtc/webrtc.h>

#include <cstring>

namespace conclave::media {

IceWatch::IceWatch(GstElement* webrtc, const MediaOptions& options, QString peer, Reporter report)
    : m_webrtc(webrtc), m_options(options), m_peer(std::move(peer)), m_report(std::move(report))
{
    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(onCandidate), this);
    g_signal_connect(m_webrtc, "notify::ice-gathering-state", G_CALLBACK(onGatheringState), this);
    g_signal_connect(m_webrtc, "notify::ice-connection-state", G_CALLBACK(onConnectionState), this);
}

IceWatch::~IceWatch()
{
    g_signal_handlers_disconnect_by_data(m_webrtc, this);
}

int IceWatch::candidatesIn(const QString& sdp)
{
    int n = 0;
    for (QStringView line : QStringView(sdp).split(QLatin1Char('\n')))
        if (line.trimmed().startsWith(QLatin1String("a=candidate:")))
            ++n;
    return n;
}

void IceWatch::peerDescription()
{
    if (m_peerAddressWait || !m_report)
        return;
    m_peerAddressWait = std::make_unique<QTimer>();
    m_peerAddressWait->setSingleShot(true);
    QObject::connect(m_peerAddressWait.get(), &QTimer::timeout, m_peerAddressWait.get(), [this] {
        GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
        g_object_get(m_webrtc, "ice-connection-state", &state, nullptr);
        if (m_peerCandidates > 0 || state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
            state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED || m_toldIce.exchange(true))
            return;
        m_report(Error{
            "media.no_peer_address",
            QStringLiteral("No network address for media came from %1 within %2 s, so no "
                           "media can flow with it: it may have none to offer (for instance, "
                           "when it may use only a TURN relay and its TURN server refused it).")
                .arg(m_peer)
                .arg(kPeerAddressWait.count())
                .toStdString(),
            ErrorCategory::ConnectionOrIdentity});
    });
    m_peerAddressWait->start(kPeerAddressWait);
}

QString IceWatch::turnUrls() const
{
    QStringList urls;
    for (const turn::TurnServer& server : m_options.turnServers)
        urls << server.url;
    return urls.join(QStringLiteral(", "));
}

void IceWatch::onCandidate(GstElement*, guint, gchar* candidate, gpointer self)
{
    if (candidate && std::strstr(candidate, " typ relay"))
        ++static_cast<IceWatch*>(self)->m_relayCandidates;
}

void IceWatch::onGatheringState(GObject* webrtc, GParamSpec*, gpointer data)
{
    auto* self = static_cast<IceWatch*>(data);
    GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
    g_object_get(webrtc, "ice-gathering-state", &state, nullptr);
    if (state != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE || self->m_options.turnServers.empty() ||
        self->m_relayCandidates > 0 || !self->m_report || self->m_toldTurn.exchange(true))
        return;
    const QString consequence =
        self->m_options.relayOnly
            ? QStringLiteral("media with %1 is to go only through a TURN relay, so none can flow")
                  .arg(self->m_peer)
            : QStringLiteral("media with %1 can flow only where a direct path exists")
                  .arg(self->m_peer);
    self->m_report(Error{
        "media.turn_failed",
        QStringLiteral("No TURN server (%1) gave this member a relay address: its credentials "
                       "may be wrong or expired, or the server cannot be reached. Until it "
                       "does, %2.")
            .arg(self->turnUrls(), consequence)
            .toStdString(),
        ErrorCategory::ConnectionOrIdentity});
}

void IceWatch::onConnectionState(GObject* webrtc, GParamSpec*, gpointer data)
{
    auto* self = static_cast<IceWatch*>(data);
    GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
    g_object_get(webrtc, "ice-connection-state", &state, nullptr);
    if (state != GST_WEBRTC_ICE_CONNECTION_STATE_FAILED || !self->m_report ||
        self->m_toldIce.exchange(true))
        return;
    QString how;
    if (self->m_options.turnServers.empty())
        how = QStringLiteral("no TURN server is configured, and where members cannot reach each "
                             "other directly media needs one");
    else if (self->m_options.relayOnly)
        how = QStringLiteral("not through the TURN servers (%1) either").arg(self->turnUrls());
    else
        how = QStringLiteral("neither directly nor through the TURN servers (%1)")
                  .arg(self->turnUrls());
    self->m_report(Error{"media.ice_failed",
                         QStringLiteral("No network path for media with %1 was found: %2.")
                             .arg(self->m_peer, how)
                             .toStdString(),
                         ErrorCategory::ConnectionOrIdentity});
}

} // namespace conclave::media
