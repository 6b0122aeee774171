// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <QString>

class QMessageBox;
class QWidget;

namespace conclave::ui {

/// A refusal as a clear dialog: what was refused, the reason in the policy's or session's own
/// words (which say what would make it allowed), and the stable code for the help desk.
/// Opens window-modal without blocking the event loop; deletes itself when closed.
QMessageBox* showRefusal(QWidget* parent, const QString& what, const Error& error);

} // namespace conclave::ui
