// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"

#include <QString>

namespace conclave::ui {

/// What a marking asks of the people in the meeting, in plain words, for the pre-join
/// acknowledgement. UK levels get the handling summaries of the Government Security
/// Classifications; another scheme's levels a general sentence naming the level.
QString handlingGuidance(const classification::Scheme& scheme,
                         const classification::Marking& marking);

} // namespace conclave::ui
