// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"

#include <QWidget>

class QLabel;

namespace conclave::ui {

class MarkingBanner;

/// What a knocker sees while the chair decides: the meeting's marking (banners) and title,
/// and nothing else of the meeting - no roster, no chat, no media.
class WaitingRoomView : public QWidget {
    Q_OBJECT

public:
    WaitingRoomView(const classification::Scheme& scheme, QWidget* parent = nullptr);

    void show(const QString& marking, const QString& title);
    void setMessage(const QString& message);
    QString message() const;
    QString marking() const;

signals:
    void leaveRequested();

private:
    MarkingBanner* m_top;
    MarkingBanner* m_bottom;
    QLabel* m_title;
    QLabel* m_message;
};

} // namespace conclave::ui
