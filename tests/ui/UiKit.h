// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DeviceContext.h"
#include "common/Clock.h"
#include "policy/PolicyDocument.h"
#include "ui/DesktopFlow.h"

#include <QPushButton>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>

namespace conclave::testsupport {

/// A real device for UI tests: its own database, identity and audit log in a temporary
/// directory, and a policy (the built-in one unless given).
class UiDevice {
public:
    explicit UiDevice(std::optional<policy::PolicyDocument> policy = std::nullopt);

    ui::DesktopFlow::Device device() const;
    app::DeviceContext& context() { return *m_context; }
    const policy::PolicyDocument& policy() const { return m_policy; }
    const Clock& clock() const { return m_clock; }

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    std::unique_ptr<app::DeviceContext> m_context;
    policy::PolicyDocument m_policy;
};

/// The signed reference policy of tests/data (this computer up to OFFICIAL-SENSITIVE, an
/// accredited hub for SECRET ...), parsed.
policy::PolicyDocument referencePolicy();

/// Options for tests: no sound; test sources where media runs at all.
ui::DesktopFlow::Options quietOptions(bool media);

/// Clicks the named button under `root`; fails the test (returns false) if it is missing or
/// disabled.
bool clickButton(QWidget& root, const char* objectName);

/// Saves what the user would see when CONCLAVE_SCREENSHOT_DIR is set (docs, reviews).
void saveScreenshot(QWidget& window, const char* name);

} // namespace conclave::testsupport
