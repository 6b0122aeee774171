// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/EphemeralAnnouncement.h"
#include "meeting/InviteToken.h"

#include <QString>

#include <optional>

namespace conclave::meeting {

/// How a knocker's invite checked out, as the chair sees it.
enum class InviteMatch {
    Invited,       ///< a valid, unused invite from this chair for this person
    Uninvited,     ///< no invite (only possible where open knocking is allowed)
    InviteInvalid, ///< an invite was shown but failed a check (see `inviteProblem`)
    Returning,     ///< sent back to the waiting room by the chair; vetted when first admitted
};

/// Someone waiting to be let in: what the chair needs to decide, with the verified identity
/// fingerprint shown rather than only the typed name.
struct LobbyEntry {
    crypto::EphemeralAnnouncement announcement; ///< verified; its identity is the knocker's key
    QString name;                               ///< as typed, or as bound by the invite
    QString fingerprint;                        ///< 30 digits of the identity key
    InviteMatch inviteMatch = InviteMatch::Uninvited;
    QString inviteProblem;
    std::optional<InviteToken> invite;
    QString contactStatus = QStringLiteral("unknown"); ///< from the ContactBook, if any
    /// The chair already trusts this key for this person: the invite names the key, the
    /// contact book knows it under this name, or the chair admitted it earlier in the meeting.
    /// A first-contact key is not verified: the chair checks its fingerprint and admits it on
    /// its own; "admit all invited" never takes it.
    bool keyVerified = false;
    TimePoint knockedAt;
};

} // namespace conclave::meeting
