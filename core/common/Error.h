// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace conclave {

/// What kind of failure an error is, decided where the error is made (never read back from
/// the code's spelling): programs map it to their exit code and to "refused" versus "error"
/// (app/support/ExitCode.h, docs/cli.md), the audit log records policy refusals by it.
/// docs/architecture.md "Error categories" says which producer sets which.
enum class ErrorCategory : std::uint8_t {
    /// Not classified by its producer: a failure of some other kind (a full disk, a bug, a
    /// message that did not decode). Whoever reports it decides what it means there.
    Unspecified,
    /// What the user gave cannot be used as it is and they can correct it: bad arguments, a
    /// malformed or oversized file, a marking that does not parse under the scheme (exit 2).
    InvalidInput,
    /// Well-formed, but a signed policy - this computer's or the hub's - does not allow it:
    /// a marking not approved on the backend, options looser than its rules, an unsigned,
    /// expired or rolled-back policy (exit 3).
    PolicyRefusal,
    /// The network, TLS, the hub, or an identity check failed: the hub key or the chair is not
    /// the one expected, the hub does not host this chair (exit 4).
    ConnectionOrIdentity,
    /// A chair, or the hub on the meeting's behalf, turned this person away: denied, removed,
    /// banned, locked out, a spent invite, a full waiting room (exit 5).
    DeniedOrRemoved,
};

/// A failure a user can act on. `code` is stable and machine-readable ("policy.expired");
/// `message` is a complete sentence that says what is wrong and what would make it work;
/// `category` is what kind of failure it is (above). `Error{"code", "message"}` leaves it
/// Unspecified: producers of refusals and invalid input say so explicitly.
struct Error {
    std::string code;
    std::string message;
    ErrorCategory category = ErrorCategory::Unspecified;

    bool isPolicyRefusal() const { return category == ErrorCategory::PolicyRefusal; }
    bool isInvalidInput() const { return category == ErrorCategory::InvalidInput; }

    /// The same error, of `kind`: for a layer that knows better what a failure from below
    /// means here (a descriptor that does not verify is an identity failure to a joiner).
    Error withCategory(ErrorCategory kind) const
    {
        Error e = *this;
        e.category = kind;
        return e;
    }

    friend bool operator==(const Error&, const Error&) = default;
};

} // namespace conclave
