// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/PreJoinDialog.h"

#include "ui/FrameRouter.h"
#include "ui/MarkingBanner.h"
#include "ui/MarkingGuidance.h"
#include "ui/VideoTile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace conclave::ui {

namespace {
const QString kTestPattern = QStringLiteral("test:");
} // namespace

PreJoinDialog::PreJoinDialog(const classification::Scheme& scheme,
                             const classification::Marking& marking, Details details,
                             std::vector<media::MediaDevice> devices, FrameRouter& frames,
                             bool preferTestSources, QWidget* parent)
    : QDialog(parent), m_devices(std::move(devices)), m_frames(frames),
      m_device(std::make_unique<DevicePreview>(frames))
{
    setObjectName(QStringLiteral("preJoinDialog"));
    const QString canonical = QString::fromStdString(marking.canonical);
    setWindowTitle(tr("[%1] Before you join — Conclave").arg(canonical));
    auto* layout = new QVBoxLayout(this);
    auto* banner = new MarkingBanner(scheme, this);
    banner->setObjectName(QStringLiteral("preJoinBanner"));
    banner->setMarking(canonical);
    QFont big = banner->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    banner->setFont(big);
    banner->setMinimumHeight(64);
    layout->addWidget(banner);

    auto* guidance = new QLabel(handlingGuidance(scheme, marking), this);
    guidance->setObjectName(QStringLiteral("handlingGuidance"));
    guidance->setWordWrap(true);
    layout->addWidget(guidance);

    auto* facts = new QFormLayout;
    facts->addRow(tr("Meeting:"), new QLabel(details.title.toHtmlEscaped(), this));
    auto* chair = new QLabel(details.chairFingerprint, this);
    chair->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    facts->addRow(tr("Chair's fingerprint:"), chair);
    facts->addRow(tr("Runs on:"), new QLabel(details.backend.toHtmlEscaped(), this));
    layout->addLayout(facts);

    auto* devicesForm = new QFormLayout;
    m_camera = new QComboBox(this);
    m_camera->setObjectName(QStringLiteral("cameraChoice"));
    m_camera->setAccessibleName(tr("Camera"));
    m_microphone = new QComboBox(this);
    m_microphone->setObjectName(QStringLiteral("microphoneChoice"));
    m_microphone->setAccessibleName(tr("Microphone"));
    for (const auto& d : m_devices)
        (d.kind == media::MediaDevice::Kind::Camera ? m_camera : m_microphone)
            ->addItem(d.name, d.id);
    m_camera->addItem(tr("No camera"), QString());
    m_microphone->addItem(tr("No microphone"), QString());
    m_camera->addItem(tr("Test pattern (no camera needed)"), kTestPattern);
    m_microphone->addItem(tr("Test tone (no microphone needed)"), kTestPattern);
    if (preferTestSources) {
        m_camera->setCurrentIndex(m_camera->count() - 1);
        m_microphone->setCurrentIndex(m_microphone->count() - 1);
    }
    devicesForm->addRow(tr("&Camera:"), m_camera);
    devicesForm->addRow(tr("&Microphone:"), m_microphone);
    m_level = new QProgressBar(this);
    m_level->setObjectName(QStringLiteral("microphoneLevel"));
    m_level->setAccessibleName(tr("Microphone level"));
    m_level->setRange(0, 100);
    m_level->setTextVisible(false);
    devicesForm->addRow(tr("Level:"), m_level);
    layout->addLayout(devicesForm);
    m_preview = new VideoTile(tr("Your camera (only you see this)"), this);
    m_preview->setObjectName(QStringLiteral("cameraPreview"));
    m_preview->setFixedSize(320, 200);
    layout->addWidget(m_preview, 0, Qt::AlignHCenter);
    m_previewNote = new QLabel(this);
    m_previewNote->setWordWrap(true);
    layout->addWidget(m_previewNote);

    m_acknowledge = new QCheckBox(
        tr("I understand this meeting is marked %1 and I will handle what I see and hear "
           "accordingly.")
            .arg(canonical),
        this);
    m_acknowledge->setObjectName(QStringLiteral("acknowledgeMarking"));
    layout->addWidget(m_acknowledge);
    auto* buttons = new QDialogButtonBox(this);
    m_join = buttons->addButton(tr("&Join"), QDialogButtonBox::AcceptRole);
    m_join->setObjectName(QStringLiteral("confirmJoin"));
    m_join->setEnabled(false);
    auto* leave = buttons->addButton(tr("&Leave"), QDialogButtonBox::RejectRole);
    leave->setObjectName(QStringLiteral("cancelJoin"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_acknowledge, &QCheckBox::toggled, m_join, &QPushButton::setEnabled);
    connect(&frames, &FrameRouter::frame, this, [this](quint32 peer, int, const QImage& image) {
        if (peer == DevicePreview::kPreviewPeer)
            m_preview->showFrame(image);
    });
    connect(m_camera, &QComboBox::currentIndexChanged, this, &PreJoinDialog::restartPreview);
    connect(m_microphone, &QComboBox::currentIndexChanged, this, &PreJoinDialog::restartMeter);
    m_levelTimer = new QTimer(this);
    m_levelTimer->setInterval(100);
    connect(m_levelTimer, &QTimer::timeout, this, [this] { m_level->setValue(m_meter.level()); });
    m_levelTimer->start();
    connect(this, &QDialog::finished, this, [this] {
        m_device->stop();
        m_meter.stop();
        m_levelTimer->stop();
    });
    restartPreview();
    restartMeter();
}

PreJoinDialog::~PreJoinDialog() = default;

void PreJoinDialog::restartPreview()
{
    m_device->stop();
    m_preview->clearFrame();
    const QString id = m_camera->currentData().toString();
    if (cameraOff()) {
        m_previewNote->setText(tr("Others will not see you; you still see and hear them."));
        return;
    }
    auto started = m_device->start(id == kTestPattern ? QString() : id, id == kTestPattern);
    m_previewNote->setText(started ? QString() : QString::fromStdString(started.error().message));
}

void PreJoinDialog::restartMeter()
{
    m_meter.stop();
    m_level->setValue(0);
    if (microphoneOff())
        return;
    const QString id = m_microphone->currentData().toString();
    if (auto started = m_meter.start(id == kTestPattern ? QString() : id, id == kTestPattern);
        !started)
        m_level->setToolTip(QString::fromStdString(started.error().message));
}

int PreJoinDialog::microphoneLevel() const
{
    return m_level->value();
}

media::MediaOptions PreJoinDialog::mediaChoice() const
{
    media::MediaOptions options;
    const QString camera = m_camera->currentData().toString();
    const QString microphone = m_microphone->currentData().toString();
    options.testSources = camera == kTestPattern || microphone == kTestPattern;
    options.camera = camera == kTestPattern ? QString() : camera;
    options.microphone = microphone == kTestPattern ? QString() : microphone;
    return options;
}

bool PreJoinDialog::cameraOff() const
{
    return m_camera->currentIndex() == m_camera->count() - 2;
}

bool PreJoinDialog::microphoneOff() const
{
    return m_microphone->currentIndex() == m_microphone->count() - 2;
}

} // namespace conclave::ui
