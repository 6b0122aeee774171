// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"

#include <QString>

namespace conclave::meeting {

/// What the chair's device remembers about people (trust on first use), so the waiting room
/// can say whether a knocker's key is the one seen before under that name. Implemented over
/// the device database by the app; sessions only see this interface.
class ContactBook {
public:
    virtual ~ContactBook() = default;
    /// "new", "known", "key_changed" (a known name with another key) or "renamed".
    virtual QString status(const QString& name, const crypto::Ed25519PublicKey& identity) = 0;
    virtual void remember(const QString& name, const crypto::Ed25519PublicKey& identity) = 0;
};

} // namespace conclave::meeting
