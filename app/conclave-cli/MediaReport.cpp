// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaReport.h"

#include "conference/MeetingController.h"
#include "media/MediaMesh.h"
#include "media/SframeEncrypt.h"

namespace conclave::app {

MediaReport::MediaReport(media::MediaMesh& mesh, const conference::MeetingController& meeting,
                         const JsonLineWriter& out)
    : m_mesh(mesh), m_meeting(&meeting), m_out(out)
{
    for (media::StreamKind kind : m_mesh.local().missing()) {
        const char* what = kind == media::StreamKind::Audio    ? "no microphone"
                           : kind == media::StreamKind::Camera ? "no camera"
                                                               : "no screen to capture";
        m_out.writeFailure("warning",
                           {"media.no_device", std::string(what) +
                                                   " was found: this member sees and hears the "
                                                   "others but sends no " +
                                                   media::traitsOf(kind).name});
    }
    connect(&m_mesh, &media::MediaMesh::ownKeysSwitched, this,
            [this](quint64 epoch, qint64 afterMs) {
                m_out.write({{QStringLiteral("event"), QStringLiteral("key_switch")},
                             {QStringLiteral("epoch"), qint64(epoch)},
                             {QStringLiteral("after_ms"), afterMs}});
            });
    connect(&m_mesh, &media::MediaMesh::problem, this,
            [this](const QString& code, const QString& reason) {
                m_out.writeFailure("warning", {code.toStdString(), reason.toStdString()});
            });
    m_since.start();
    m_statsTimer.setInterval(2000);
    connect(&m_statsTimer, &QTimer::timeout, this, &MediaReport::printStats);
    m_statsTimer.start();
    m_firstFrameTimer.setInterval(50);
    connect(&m_firstFrameTimer, &QTimer::timeout, this, &MediaReport::reportFirstFrames);
    m_firstFrameTimer.start();
}

QString MediaReport::nameOf(uint32_t index) const
{
    for (const conference::Member& m : m_meeting->members())
        if (m.index == index)
            return m.name;
    return {};
}

void MediaReport::reportFirstFrames()
{
    for (const auto& [peer, streams] : m_mesh.firstFrames())
        for (const auto& [kind, after] : streams) {
            if (!m_firstFramesReported.insert({peer, int(kind)}).second)
                continue;
            m_out.write({{QStringLiteral("event"), QStringLiteral("first_frame")},
                         {QStringLiteral("peer"), qint64(peer)},
                         {QStringLiteral("name"), nameOf(peer)},
                         {QStringLiteral("stream"), QLatin1String(media::traitsOf(kind).name)},
                         {QStringLiteral("after_ms"), qint64(after.count())}});
        }
}

void MediaReport::printStats()
{
    const media::MediaTransport* transport = m_mesh.transport();
    const QString via = transport ? QLatin1String(transport->name()) : QString();
    // Keyframes cost uplink: what the links asked of this member's encoders, what was passed
    // to them (LocalStreams::kKeyframeRequestGap), and what this member asked for itself.
    uint64_t asked = 0;
    uint64_t passed = 0;
    for (media::StreamKind kind : media::kAllStreams) {
        asked += m_mesh.local().keyframeRequestsAsked(kind);
        passed += m_mesh.local().keyframeRequestsPassed(kind);
    }
    // Frames each stream's encryptor protected, i.e. what left this member once (the mesh's
    // copies are not counted again): a receiver's `decoded` against these is what arrived.
    QJsonObject framesSent;
    for (media::StreamKind kind : media::kAllStreams)
        if (GstElement* encryptor = m_mesh.local().encryptor(kind))
            framesSent.insert(QLatin1String(media::traitsOf(kind).name),
                              qint64(media::sframe_encrypt::stats(encryptor).protectedFrames));
    m_out.write(
        {{QStringLiteral("event"), QStringLiteral("uplink")},
         {QStringLiteral("bytes"), qint64(transport ? transport->bytesSent() : 0)},
         {QStringLiteral("frames_sent"), framesSent},
         {QStringLiteral("keyframe_requests"), qint64(asked)},
         {QStringLiteral("keyframe_requests_passed"), qint64(passed)},
         {QStringLiteral("keyframe_asks"), qint64(transport ? transport->keyframeAsks() : 0)},
         {QStringLiteral("links_remade"), qint64(transport ? transport->linksRemade() : 0)},
         {QStringLiteral("elapsed_ms"), m_since.elapsed()},
         {QStringLiteral("via"), via}});
    // The camera's send rate as congestion feedback set it (docs/media.md "Congestion control").
    if (const media::CongestionControl* congestion =
            m_mesh.transport() ? m_mesh.transport()->congestion() : nullptr)
        m_out.write({{QStringLiteral("event"), QStringLiteral("send_rate")},
                     {QStringLiteral("stream"), QStringLiteral("video")},
                     {QStringLiteral("target_bps"), qint64(congestion->controller().target())},
                     {QStringLiteral("step"),
                      QLatin1String(media::qualityStepName(congestion->controller().step()))},
                     {QStringLiteral("via"), via}});
    for (const media::StreamStats& s : m_mesh.stats()) {
        QJsonObject line{{QStringLiteral("event"), QStringLiteral("media")},
                         {QStringLiteral("peer"), qint64(s.peer)},
                         {QStringLiteral("name"), nameOf(s.peer)},
                         {QStringLiteral("stream"), QLatin1String(media::traitsOf(s.kind).name)},
                         {QStringLiteral("received"), qint64(s.framesReceived)},
                         {QStringLiteral("decrypted"), qint64(s.framesDecrypted)},
                         {QStringLiteral("failures"), qint64(s.decryptFailures)},
                         {QStringLiteral("decoded"), qint64(s.framesDecoded)},
                         {QStringLiteral("unknown_key"), qint64(s.unknownKey)},
                         {QStringLiteral("bytes"), qint64(s.bytesReceived)},
                         {QStringLiteral("fps"), qRound(s.framesPerSecond * 10) / 10.0},
                         {QStringLiteral("kbps"), qRound(s.bitsPerSecond / 100) / 10.0},
                         {QStringLiteral("packets"), qint64(s.packetsReceived)},
                         {QStringLiteral("packets_lost"), qint64(s.packetsLost)},
                         {QStringLiteral("via"), via}};
        if (s.firstFrameAfter)
            line.insert(QStringLiteral("first_frame_ms"), qint64(s.firstFrameAfter->count()));
        if (s.width > 0) {
            line.insert(QStringLiteral("width"), s.width);
            line.insert(QStringLiteral("height"), s.height);
        }
        m_out.write(line);
    }
}

} // namespace conclave::app
