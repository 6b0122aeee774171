// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"

#include <QByteArray>
#include <QString>

namespace conclave::meeting {

/// A statement signed by one identity: CBOR {kind, body, signer, sig} where body holds the exact
/// CBOR bytes of the statement (docs/protocol.md §4). Used for meeting descriptors, invites and
/// co-chair delegations; the kind is part of what is signed, so one can never pass for another.
struct SignedObject {
    static constexpr qsizetype kMaxBytes = 64 * 1024;

    QString kind;
    QByteArray body;
    crypto::Ed25519PublicKey signer;
    QByteArray signature;

    static SignedObject sign(const QString& kind, const QByteArray& body,
                             const crypto::Ed25519SigningKey& key);
    /// Strict decoding; `expectedKind` must match. Does not verify (see verify()).
    static Result<SignedObject> decode(const QByteArray& bytes, const QString& expectedKind);

    QByteArray encode() const;
    bool verify() const;
};

} // namespace conclave::meeting
