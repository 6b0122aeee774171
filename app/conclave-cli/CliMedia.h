// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandParser.h"
#include "EventPrinter.h"
#include "JsonLineWriter.h"
#include "call/MeetingMedia.h"
#include "media/MediaOptions.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace conclave::app {

/// `--media test` for conclave-cli host and join: the member's media mesh with test sources,
/// driven by its session, with `media` statistics lines every two seconds (per remote member
/// and stream: frames received, decrypted, failed, decoded, time to the first decoded frame),
/// a `first_frame` line the moment each remote stream first decodes, a `key_switch` line each
/// time this member's streams move to a new epoch's keys, and the commands audio, video,
/// share and media-stats.
class CliMedia : public QObject {
    Q_OBJECT

public:
    /// Adds --media and --media-address to a command.
    static void addOptions(CommandParser& cmd);
    /// The options asked for, nullopt without --media test; an error for a bad value.
    static Result<std::optional<media::MediaOptions>> optionsFrom(CommandParser& cmd);
    static Result<std::unique_ptr<CliMedia>> start(const media::MediaOptions& options,
                                                   meeting::MediaView& view,
                                                   const JsonLineWriter& out, EventPrinter& printer,
                                                   std::function<void()> flush);

    /// Brings the media in line with the session; call after anything the session did.
    void sync();
    /// A media command (audio, video, share, media-stats): handled, true; otherwise false.
    bool handleCommand(const QJsonObject& command);
    /// Goes on under another session (a co-chair's chair session after its takeover), whose
    /// outgoing messages `flush` sends.
    void rebind(meeting::MediaView& view, std::function<void()> flush);
    void printStats();

private:
    CliMedia(std::unique_ptr<call::MeetingMedia> media, meeting::MediaView& view,
             const JsonLineWriter& out, EventPrinter& printer, std::function<void()> flush);
    void wire();
    void reportFirstFrames();

    std::unique_ptr<call::MeetingMedia> m_media;
    meeting::MediaView* m_view;
    const JsonLineWriter& m_out;
    EventPrinter& m_printer;
    std::function<void()> m_flush;
    QTimer m_statsTimer;
    QTimer m_firstFrameTimer;
    std::set<std::pair<uint32_t, int>> m_firstFramesReported;
};

} // namespace conclave::app
