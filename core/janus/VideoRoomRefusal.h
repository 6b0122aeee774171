// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <QString>

namespace conclave::janus {

/// Janus's refusals of a member's VideoRoom requests, reworded so the member knows what
/// happened and what would make it work (Janus's number and words stay in the message).
namespace videoroom_refusal {

/// A publisher `join` refused: 433 is the token (not on the room's `allowed` list: never
/// admitted, or withdrawn on removal), 436 a feed id already taken, 426 a room that is gone.
Error join(int number, const QString& reason);
/// A subscriber `join` refused: 433 is the private id (this member has not joined as a
/// publisher with an admitted token, or was removed), 428 a feed that is not there.
Error subscribe(int number, const QString& reason);
/// Any other request refused (publish, start, subscribe, unsubscribe).
Error other(int number, const QString& reason);

} // namespace videoroom_refusal
} // namespace conclave::janus
