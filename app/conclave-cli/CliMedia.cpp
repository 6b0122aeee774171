// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliMedia.h"

#include "media/MediaMesh.h"

namespace conclave::app {

void CliMedia::addOptions(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("media"),
                   QStringLiteral("Media: 'off' (default), 'test' (test pattern and tone) or "
                                  "'devices' (camera and microphone); end-to-end encrypted, "
                                  "with statistics."),
                   QStringLiteral("MODE"), QStringLiteral("off")});
    cmd.addOption({QStringLiteral("camera"),
                   QStringLiteral("Camera id from 'conclave-cli devices' (default: the first)."),
                   QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("microphone"),
                   QStringLiteral("Microphone id from 'conclave-cli devices' (default: the "
                                  "first)."),
                   QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("media-address"),
                   QStringLiteral("Offer media connections only on this local address "
                                  "(repeatable; default every interface)."),
                   QStringLiteral("ADDR")});
}

Result<std::optional<media::MediaOptions>> CliMedia::optionsFrom(CommandParser& cmd)
{
    const QString mode = cmd.parser().value(QStringLiteral("media"));
    if (mode == QLatin1String("off"))
        return std::optional<media::MediaOptions>();
    if (mode != QLatin1String("test") && mode != QLatin1String("devices"))
        return makeError("usage",
                         "--media is 'off', 'test' or 'devices', not '" + mode.toStdString() + "'");
    media::MediaOptions options;
    options.testSources = mode == QLatin1String("test");
    options.camera = cmd.parser().value(QStringLiteral("camera"));
    options.microphone = cmd.parser().value(QStringLiteral("microphone"));
    options.localAddresses = cmd.parser().values(QStringLiteral("media-address"));
    return std::optional<media::MediaOptions>(options);
}

Result<std::unique_ptr<CliMedia>> CliMedia::start(const media::MediaOptions& options,
                                                  meeting::MediaView& view,
                                                  const JsonLineWriter& out, EventPrinter& printer,
                                                  std::function<void()> flush)
{
    auto mesh = media::MediaMesh::create(options);
    if (!mesh)
        return mesh.error();
    for (media::StreamKind kind : (*mesh)->local().missing()) {
        const char* what = kind == media::StreamKind::Audio    ? "no microphone"
                           : kind == media::StreamKind::Camera ? "no camera"
                                                               : "no screen to capture";
        out.writeFailure("warning",
                         {"media.no_device", std::string(what) +
                                                 " was found: this member sees and hears the "
                                                 "others but sends no " +
                                                 media::traitsOf(kind).name});
    }
    auto meetingMedia = std::make_unique<call::MeetingMedia>(view, std::move(mesh).value());
    return std::unique_ptr<CliMedia>(
        new CliMedia(std::move(meetingMedia), view, out, printer, std::move(flush)));
}

CliMedia::CliMedia(std::unique_ptr<call::MeetingMedia> media, meeting::MediaView& view,
                   const JsonLineWriter& out, EventPrinter& printer, std::function<void()> flush)
    : m_media(std::move(media)), m_view(&view), m_out(out), m_printer(printer),
      m_flush(std::move(flush))
{
    wire();
    m_statsTimer.setInterval(2000);
    connect(&m_statsTimer, &QTimer::timeout, this, &CliMedia::printStats);
    m_statsTimer.start();
    m_firstFrameTimer.setInterval(50);
    connect(&m_firstFrameTimer, &QTimer::timeout, this, &CliMedia::reportFirstFrames);
    m_firstFrameTimer.start();
}

void CliMedia::wire()
{
    connect(m_media.get(), &call::MeetingMedia::signalsQueued, this, [this] { m_flush(); });
    connect(&m_media->mesh(), &media::MediaMesh::ownKeysSwitched, this,
            [this](quint64 epoch, qint64 afterMs) {
                m_out.write({{QStringLiteral("event"), QStringLiteral("key_switch")},
                             {QStringLiteral("epoch"), qint64(epoch)},
                             {QStringLiteral("after_ms"), afterMs}});
            });
    connect(&m_media->mesh(), &media::MediaMesh::problem, this,
            [this](const QString& code, const QString& reason) {
                m_out.writeFailure("warning", {code.toStdString(), reason.toStdString()});
            });
}

void CliMedia::reportFirstFrames()
{
    std::optional<meeting::MediaState> state;
    for (const auto& [peer, streams] : m_media->mesh().firstFrames())
        for (const auto& [kind, after] : streams) {
            if (!m_firstFramesReported.insert({peer, int(kind)}).second)
                continue;
            if (!state)
                state = m_view->mediaState();
            const crypto::RosterEntry* who = state ? state->roster.find(peer) : nullptr;
            m_out.write(
                {{QStringLiteral("event"), QStringLiteral("first_frame")},
                 {QStringLiteral("peer"), qint64(peer)},
                 {QStringLiteral("name"), who ? QString::fromStdString(who->name) : QString()},
                 {QStringLiteral("stream"), QLatin1String(media::traitsOf(kind).name)},
                 {QStringLiteral("after_ms"), qint64(after.count())}});
        }
}

void CliMedia::sync()
{
    m_media->sync();
}

void CliMedia::rebind(meeting::MediaView& view, std::function<void()> flush)
{
    disconnect(&m_media->mesh(), nullptr, this, nullptr); // wire() connects afresh
    auto mesh = m_media->releaseMesh();
    m_media = std::make_unique<call::MeetingMedia>(view, std::move(mesh));
    m_view = &view;
    m_flush = std::move(flush);
    wire();
    m_media->sync();
}

bool CliMedia::handleCommand(const QJsonObject& command)
{
    const QString cmd = command.value(QStringLiteral("cmd")).toString();
    const bool on = command.value(QStringLiteral("on")).toBool(true);
    Result<meeting::MeetingEvents> result = meeting::MeetingEvents{};
    if (cmd == QLatin1String("audio"))
        result = m_view->setMuted(!on);
    else if (cmd == QLatin1String("video"))
        result = m_view->setVideo(on);
    else if (cmd == QLatin1String("share"))
        result = m_view->setSharing(on);
    else if (cmd == QLatin1String("media-stats"))
        printStats();
    else
        return false;
    if (!result)
        m_out.writeFailure("error", result.error());
    else
        m_printer.print(*result);
    sync();
    return true;
}

void CliMedia::printStats()
{
    const auto state = m_view->mediaState();
    for (const media::StreamStats& s : m_media->mesh().stats()) {
        const crypto::RosterEntry* who = state ? state->roster.find(s.peer) : nullptr;
        QJsonObject line{
            {QStringLiteral("event"), QStringLiteral("media")},
            {QStringLiteral("peer"), qint64(s.peer)},
            {QStringLiteral("name"), who ? QString::fromStdString(who->name) : QString()},
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
            {QStringLiteral("packets_lost"), qint64(s.packetsLost)}};
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
