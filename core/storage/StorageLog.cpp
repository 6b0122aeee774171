// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/StorageLog.h"

// Debug output (routine steps) only when asked for with QT_LOGGING_RULES.
Q_LOGGING_CATEGORY(lcStorage, "conclave.storage", QtInfoMsg)
