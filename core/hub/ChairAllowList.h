// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"

#include <QString>

#include <set>

namespace conclave::hub {

/// The chairs a hub's operator lets open meetings on it, by identity fingerprint (the 30
/// digits `conclave-cli identity` prints). A hub that anyone may use to host is a relay for
/// strangers; a hub that hosts only listed chairs is not.
class ChairAllowList {
public:
    /// A fingerprint ("12345 67890 ...", spaces optional) or an identity key as 64 hex digits;
    /// "hub.bad_chair" when it is neither.
    Result<void> add(const QString& text);
    void add(const crypto::Ed25519PublicKey& key) { m_fingerprints.insert(fingerprintOf(key)); }
    bool allows(const crypto::Ed25519PublicKey& key) const
    {
        return m_fingerprints.count(fingerprintOf(key)) > 0;
    }
    bool isEmpty() const { return m_fingerprints.empty(); }
    size_t size() const { return m_fingerprints.size(); }

    /// The fingerprint's 30 digits without spaces.
    static QString fingerprintOf(const crypto::Ed25519PublicKey& key);

private:
    std::set<QString> m_fingerprints;
};

} // namespace conclave::hub
