// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conference/MeetingPeople.h"

#include <QTimer>
#include <QWidget>

#include <map>

class QGridLayout;

namespace conclave::ui {

class VideoTile;

/// Everyone's video, a tile per member (and one per screen share while it runs), named from
/// the chair-signed roster. Frames arrive from FrameRouter; a member who left loses their
/// tiles at once.
class VideoGrid : public QWidget {
    Q_OBJECT

public:
    explicit VideoGrid(QWidget* parent = nullptr);

    /// The roster now: tiles for new members, none for those gone.
    void setMembers(const std::vector<conference::Member>& members);
    /// What this member's own tile says while it has no picture (its self view, frames with
    /// peer MediaMesh::kSelfView, shows what is sent).
    void setSelfNote(const QString& note);
    /// A decoded frame of `peer`'s stream (media::StreamKind as int).
    void showFrame(quint32 peer, int kind, const QImage& image);
    /// A picture not refreshed for this long is dropped (video stopped, share ended, suspended).
    static constexpr std::chrono::milliseconds kStaleAfter{2000};

    /// Drops every picture (this member is out of the meeting).
    void clearFrames();
    const VideoTile* tile(uint32_t peer, int kind) const;

private:
    void relayout();
    void dropStale();
    QString tileName(uint32_t peer, int kind) const;

    QGridLayout* m_grid;
    std::map<std::pair<uint32_t, int>, VideoTile*> m_tiles;
    std::map<uint32_t, QString> m_names;
    std::optional<uint32_t> m_self;
    QString m_selfNote;
    QTimer m_staleCheck;
};

} // namespace conclave::ui
