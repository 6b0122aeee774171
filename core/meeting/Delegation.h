// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/SignedObject.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace conclave::meeting {

/// The chair's signed statement that one member is co-chair (or, with granted = false, no
/// longer is) - docs/protocol.md §4. A co-chair's requests are carried out by the chair, and
/// if the chair goes silent the co-chair takes over by showing this delegation with its
/// chair-change COMMIT. Only the meeting's original chair (the descriptor's signer) delegates.
struct Delegation {
    QByteArray meetingId;
    crypto::Ed25519PublicKey delegate;
    QString name; ///< the co-chair's roster name, for people to read
    TimePoint issued;
    bool granted = true;
    /// Strictly increasing per meeting: members order grants and withdrawals by it (two in
    /// one second are still told apart), so a replayed older grant cannot undo a withdrawal.
    uint64_t serial = 0;
    /// The delegate's roster index when it was named: bound to that join, so a grant does not
    /// outlive the member leaving and coming back (indices are never reused).
    uint32_t index = 0;

    SignedObject sign(const crypto::Ed25519SigningKey& chairKey) const;
    /// Decodes and checks the signature, the meeting and the signer (`chair`): errors
    /// delegation.* saying which.
    static Result<Delegation> verify(const QByteArray& bytes, const QByteArray& meetingId,
                                     const crypto::Ed25519PublicKey& chair);
};

} // namespace conclave::meeting
