// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubLog.h"

Q_LOGGING_CATEGORY(lcHub, "conclave.hub", QtInfoMsg)
