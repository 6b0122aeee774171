// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"

#include <string>

namespace conclave::storage {

class Database;

/// How a (name, identity key) pair compares with what this device has seen before.
enum class ContactStatus {
    New,        ///< neither the name nor the key has been seen
    Known,      ///< this key has been seen under this name
    KeyChanged, ///< the name is known, but with a different key: a loud warning
    Renamed,    ///< the key is known, under a different name
};

std::string_view toString(ContactStatus status);

/// Contacts remembered trust-on-first-use (the `contacts` table).
class ContactStore {
public:
    explicit ContactStore(Database& db) : m_db(db) {}

    Result<ContactStatus> status(const std::string& name, const crypto::Ed25519PublicKey& identity);
    /// Records (or refreshes) the key under this name, after the person was let in.
    Result<void> remember(const std::string& name, const crypto::Ed25519PublicKey& identity,
                          TimePoint at);

private:
    Database& m_db;
};

} // namespace conclave::storage
