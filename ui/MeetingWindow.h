// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "crypto/Ed25519.h"
#include "meeting/MeetingEvent.h"
#include "policy/PolicyDocument.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;

namespace conclave::conference {
class MeetingController;
}
namespace conclave::storage {
class AuditLog;
}

namespace conclave::ui {

class AuditDialog;
class ChairControls;
class ChatPanel;
class FrameRouter;
class InvitesDialog;
class MarkingBanner;
class RosterPanel;
class VideoGrid;

/// The meeting: the marking in banners at the top and bottom (and in the title bar), the
/// security code beside the top banner, the video grid, the people (waiting room and
/// members) and the chat, this member's own media switches and - for the chair - the
/// meeting controls. Everything is redrawn from the controller whenever it changes, so the
/// banners follow a marking change the moment the signed revision arrives.
class MeetingWindow : public QWidget {
    Q_OBJECT

public:
    MeetingWindow(conference::MeetingController& meeting, const policy::PolicyDocument& policy,
                  FrameRouter* frames, storage::AuditLog* audit, crypto::Ed25519PublicKey deviceKey,
                  QWidget* parent = nullptr);
    ~MeetingWindow() override;

    MarkingBanner& topBanner() const { return *m_topBanner; }
    MarkingBanner& bottomBanner() const { return *m_bottomBanner; }
    RosterPanel& roster() const { return *m_roster; }
    ChairControls& chairControls() const { return *m_controls; }
    ChatPanel& chat() const { return *m_chat; }
    VideoGrid& videoGrid() const { return *m_grid; }
    QString securityCodeText() const;
    /// A short how-to shown above the video (the demo's steps); "" hides it.
    void setGuide(const QString& text);
    QString activityText() const;
    InvitesDialog& invites();
    void showAudit();
    void changeMarking();

signals:
    /// A co-chair asked to take the chair over (the app moves the meeting to a new window).
    void takeOverRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void refresh();
    void onEvents(const meeting::MeetingEvents& events);
    void onActionFailed(const Error& error);
    void announceMarkingChange(const QString& from, const QString& to);
    QWidget* makeOwnMediaBar();

    conference::MeetingController& m_meeting;
    const policy::PolicyDocument& m_policy;
    storage::AuditLog* m_audit;
    crypto::Ed25519PublicKey m_deviceKey;
    MarkingBanner* m_topBanner;
    MarkingBanner* m_bottomBanner;
    QLabel* m_title;
    QLabel* m_securityCode;
    QLabel* m_status;
    QLabel* m_activity;
    QLabel* m_guide;
    VideoGrid* m_grid;
    RosterPanel* m_roster;
    ChatPanel* m_chat;
    ChairControls* m_controls;
    QTabWidget* m_side;
    QPushButton* m_mic = nullptr;
    QPushButton* m_camera = nullptr;
    QPushButton* m_share = nullptr;
    QPushButton* m_leave = nullptr;
    QPushButton* m_takeOver = nullptr;
    int m_unreadChat = 0;
    QPointer<InvitesDialog> m_invites;
    QPointer<AuditDialog> m_auditDialog;
};

} // namespace conclave::ui
