// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/VideoGrid.h"

#include "media/MediaMesh.h"
#include "media/StreamKind.h"
#include "ui/VideoTile.h"

#include <QGridLayout>

#include <cmath>

namespace conclave::ui {

namespace {
constexpr int kCamera = int(media::StreamKind::Camera);
constexpr int kScreen = int(media::StreamKind::Screen);
} // namespace

VideoGrid::VideoGrid(QWidget* parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    setObjectName(QStringLiteral("videoGrid"));
    setAccessibleName(tr("Video"));
    m_grid->setSpacing(4);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_staleCheck.setInterval(500);
    connect(&m_staleCheck, &QTimer::timeout, this, &VideoGrid::dropStale);
    m_staleCheck.start();
}

void VideoGrid::dropStale()
{
    bool removed = false;
    for (auto it = m_tiles.begin(); it != m_tiles.end();) {
        if (it->second->sinceLastFrame() < kStaleAfter) {
            ++it;
        } else if (it->first.second == kScreen) {
            delete it->second;
            it = m_tiles.erase(it);
            removed = true;
        } else {
            it->second->clearFrame();
            ++it;
        }
    }
    if (removed)
        relayout();
}

QString VideoGrid::tileName(uint32_t peer, int kind) const
{
    const auto found = m_names.find(peer);
    const QString name = found != m_names.end() ? found->second : tr("Member %1").arg(peer);
    return kind == kScreen ? tr("%1 (screen)").arg(name) : name;
}

void VideoGrid::setMembers(const std::vector<conference::Member>& members)
{
    m_names.clear();
    m_self.reset();
    for (const auto& m : members) {
        m_names[m.index] = m.isSelf ? tr("%1 (you)").arg(m.name) : m.name;
        if (m.isSelf)
            m_self = m.index;
    }
    for (auto it = m_tiles.begin(); it != m_tiles.end();) {
        if (!m_names.count(it->first.first)) {
            delete it->second;
            it = m_tiles.erase(it);
        } else {
            it->second->setName(tileName(it->first.first, it->first.second));
            ++it;
        }
    }
    for (const auto& [index, name] : m_names)
        if (!m_tiles.count({index, kCamera}))
            m_tiles[{index, kCamera}] = new VideoTile(tileName(index, kCamera), this);
    if (m_self)
        m_tiles[{*m_self, kCamera}]->setNote(m_selfNote);
    relayout();
}

void VideoGrid::setSelfNote(const QString& note)
{
    m_selfNote = note;
    if (m_self && m_tiles.count({*m_self, kCamera}))
        m_tiles[{*m_self, kCamera}]->setNote(note);
}

void VideoGrid::showFrame(quint32 peer, int kind, const QImage& image)
{
    if (peer == media::MediaMesh::kSelfView) {
        if (!m_self)
            return;
        peer = *m_self;
    }
    if (!m_names.count(peer))
        return; // not (or no longer) in the roster
    auto& tile = m_tiles[{peer, kind}];
    if (!tile) {
        tile = new VideoTile(tileName(peer, kind), this);
        relayout();
    }
    tile->showFrame(image);
}

void VideoGrid::clearFrames()
{
    for (auto it = m_tiles.begin(); it != m_tiles.end();) {
        if (it->first.second == kScreen) {
            delete it->second;
            it = m_tiles.erase(it);
            continue;
        }
        it->second->clearFrame();
        ++it;
    }
    relayout();
}

const VideoTile* VideoGrid::tile(uint32_t peer, int kind) const
{
    const auto found = m_tiles.find({peer, kind});
    return found == m_tiles.end() ? nullptr : found->second;
}

void VideoGrid::relayout()
{
    while (m_grid->count())
        delete m_grid->takeAt(0);
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(m_tiles.size())))));
    int i = 0;
    for (const auto& [key, tile] : m_tiles) {
        m_grid->addWidget(tile, i / columns, i % columns);
        tile->show();
        ++i;
    }
}

} // namespace conclave::ui
