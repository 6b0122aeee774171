// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/VideoTile.h"

#include <QPainter>

namespace conclave::ui {

VideoTile::VideoTile(QString name, QWidget* parent) : QWidget(parent)
{
    setName(name);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void VideoTile::setName(const QString& name)
{
    m_name = name;
    setAccessibleName(tr("Video of %1").arg(name));
    update();
}

void VideoTile::setNote(const QString& note)
{
    if (note == m_note)
        return;
    m_note = note;
    update();
}

void VideoTile::showFrame(const QImage& image)
{
    m_image = image;
    ++m_frames;
    m_lastFrame = std::chrono::steady_clock::now();
    update();
}

std::chrono::milliseconds VideoTile::sinceLastFrame() const
{
    if (m_image.isNull())
        return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 m_lastFrame);
}

void VideoTile::clearFrame()
{
    m_image = QImage();
    update();
}

void VideoTile::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(0x20, 0x20, 0x20));
    const QRect area = rect().adjusted(2, 2, -2, -24);
    if (!m_image.isNull()) {
        const QSize size = m_image.size().scaled(area.size(), Qt::KeepAspectRatio);
        const QRect target(area.center() - QPoint(size.width() / 2, size.height() / 2), size);
        p.drawImage(target, m_image);
    } else if (!m_note.isEmpty()) {
        p.setPen(QColor(0xe0, 0xe0, 0xe0)); // light grey on near-black: 13:1
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_note);
    }
    // The name strip: white on near-black whatever the picture is, so it is always legible.
    const QRect strip(0, height() - 22, width(), 22);
    p.fillRect(strip, QColor(0, 0, 0, 220));
    p.setPen(Qt::white);
    p.drawText(strip.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(m_name, Qt::ElideRight, strip.width() - 12));
}

} // namespace conclave::ui
