// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Internal to core/hub: logs connection-level decisions, never message content.
Q_DECLARE_LOGGING_CATEGORY(lcHub)
