// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"
#include "crypto/Roster.h"
#include "meeting/LobbyEntry.h"

#include <QString>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace conclave::conference {

/// A member as the roster shows them: the name is the one the chair's COMMIT carries, the
/// fingerprint is computed from the identity key (never taken from what anyone typed).
struct Member {
    uint32_t index = 0;
    QString name;
    QString fingerprint;
    crypto::Ed25519PublicKey identity;
    crypto::MemberRole role = crypto::MemberRole::Participant;
    bool coChair = false;
    bool isSelf = false;
    bool mayShare = false; ///< the chair allowed their screen share (or the meeting allows all)
};

/// Someone in the waiting room, with what the chair needs to decide.
struct Knocker {
    crypto::Ed25519PublicKey identity;
    QString name;
    QString fingerprint;
    meeting::InviteMatch invite = meeting::InviteMatch::Uninvited;
    QString inviteProblem;
    QString contact;          ///< new, known, renamed, key_changed, unknown
    bool keyVerified = false; ///< see meeting::LobbyEntry::keyVerified
};

/// The identity a hub `left` notice names, if it is a well-formed key.
std::optional<crypto::Ed25519PublicKey> identityIn(const QByteArray& bytes);

/// Members of a roster, in index order.
std::vector<Member> membersOf(const crypto::Roster& roster, std::optional<uint32_t> selfIndex,
                              const std::set<uint32_t>& sharers);
/// The chair's waiting room, in knocking order.
std::vector<Knocker> knockersOf(const std::map<QByteArray, meeting::LobbyEntry>& lobby);
/// A co-chair's view of the waiting room (names only: the chair vets invites).
std::vector<Knocker> knockersOf(const std::map<QByteArray, QString>& lobby);

} // namespace conclave::conference
