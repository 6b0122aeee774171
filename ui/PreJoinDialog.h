// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"
#include "media/DeviceList.h"
#include "media/MediaOptions.h"
#include "ui/DevicePreview.h"
#include "ui/MicrophoneMeter.h"

#include <QDialog>
#include <QTimer>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace conclave::ui {

class FrameRouter;
class VideoTile;

/// Before anything of a meeting is shown: its marking large, in the banner colours, with what
/// it asks of the joiner, and a box they must tick to acknowledge it; the camera and
/// microphone to use, with a preview of the camera. "Join" stays disabled until acknowledged.
class PreJoinDialog : public QDialog {
    Q_OBJECT

public:
    struct Details {
        QString title;
        QString chairFingerprint;
        QString backend;
    };

    PreJoinDialog(const classification::Scheme& scheme, const classification::Marking& marking,
                  Details details, std::vector<media::MediaDevice> devices, FrameRouter& frames,
                  bool preferTestSources, QWidget* parent = nullptr);
    ~PreJoinDialog() override;

    /// Without devices the choice starts at "No camera" / "No microphone"; with
    /// `preferTestSources` (the demo, tests) at the test pattern and tone.
    /// The media as chosen (devices, or test sources when "Test pattern" is picked).
    media::MediaOptions mediaChoice() const;
    /// "No camera" / "No microphone": join with that stream off (the member can turn it on).
    bool cameraOff() const;
    bool microphoneOff() const;
    QCheckBox* acknowledgement() const { return m_acknowledge; }
    QPushButton* joinButton() const { return m_join; }
    /// The microphone level shown (0-100), for the device check.
    int microphoneLevel() const;

private:
    void restartPreview();
    void restartMeter();

    std::vector<media::MediaDevice> m_devices;
    QCheckBox* m_acknowledge;
    QComboBox* m_camera;
    QComboBox* m_microphone;
    VideoTile* m_preview;
    QLabel* m_previewNote;
    QPushButton* m_join;
    FrameRouter& m_frames;
    std::unique_ptr<DevicePreview> m_device;
    MicrophoneMeter m_meter;
    QProgressBar* m_level;
    QTimer* m_levelTimer;
};

} // namespace conclave::ui
