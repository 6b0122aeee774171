// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QWidget>

#include <chrono>

namespace conclave::ui {

/// One person's (or one screen share's) picture with their name under it. Without a frame
/// it shows the name on a dark background, so everyone in the roster has a tile.
class VideoTile : public QWidget {
    Q_OBJECT

public:
    explicit VideoTile(QString name, QWidget* parent = nullptr);

    void setName(const QString& name);
    /// A line shown where the picture would be while there is none (e.g. "Camera off").
    void setNote(const QString& note);
    const QString& name() const { return m_name; }
    void showFrame(const QImage& image);
    /// Drops the picture (video stopped, suspended, gone): back to the name only.
    void clearFrame();
    bool hasFrame() const { return !m_image.isNull(); }
    int framesShown() const { return m_frames; }
    /// Time since the last frame (a tile without frames is never stale).
    std::chrono::milliseconds sinceLastFrame() const;

    QSize sizeHint() const override { return {320, 240}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_name;
    QString m_note;
    QImage m_image;
    int m_frames = 0;
    std::chrono::steady_clock::time_point m_lastFrame;
};

} // namespace conclave::ui
