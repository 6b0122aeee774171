// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Internal to core/storage: never logs secrets, only paths, versions and decisions.
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
