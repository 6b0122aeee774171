// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::policy {

enum class BackendKind { Embedded, Hub, HubJanus };

std::string_view toString(BackendKind kind);
std::optional<BackendKind> backendKindFromString(std::string_view text);

/// One network endpoint of a backend and the SPKI pins (base64 SHA-256 of the DER
/// SubjectPublicKeyInfo) its TLS key must match. Several pins allow key rotation. TURN
/// endpoints (`turn:` URLs, UDP or TCP) have no pins: the client cannot do TURN over TLS
/// (docs/media.md "TURN"), and what they carry is DTLS-SRTP of SFrame frames anyway.
struct Endpoint {
    enum class Role { Hub, Janus, Turn };
    Role role = Role::Hub;
    std::string url;
    std::vector<std::string> spkiSha256;
};

std::string_view toString(Endpoint::Role role);

/// A service on which meetings may be held, and the highest marking it is approved for.
/// The embedded backend ("host on this computer") has no fixed endpoints: its key is made on
/// the chair's machine and travels, chair-signed, in the invite.
struct Backend {
    std::string id;
    std::string name;
    BackendKind kind = BackendKind::Embedded;
    std::vector<Endpoint> endpoints;
    classification::Marking maxMarking;
    std::string jurisdiction; ///< ISO 3166 alpha-2, e.g. "GB"
    std::string operatorName;
    /// Embedded backends only: the identity keys (base64 of the 32-byte Ed25519 key) of the
    /// organisation's managed devices that may host meetings above the scheme's lowest grade
    /// on a network address. Joiners check the chair against it (ApprovalEngine).
    std::vector<std::string> hosts;
    /// Media only through this backend's TURN servers (needs at least one): members never
    /// learn each other's addresses, nothing goes from member to member directly.
    bool relayOnly = false;

    /// The URLs of the `turn` endpoints: the only TURN servers a member of this backend's
    /// meetings uses (a hub hands out credentials, never servers).
    std::vector<std::string> turnUrls() const;
    bool hasPin(std::string_view spkiSha256) const;
};

} // namespace conclave::policy
