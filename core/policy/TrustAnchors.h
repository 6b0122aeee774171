// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"

#include <string>
#include <vector>

namespace conclave::policy {

struct TrustAnchor {
    std::string file; ///< where it was read from, for messages
    std::string keyId;
    crypto::Ed25519PublicKey key;
};

/// The public keys of the security authorities whose policy signatures this machine accepts.
class TrustAnchors {
public:
    /// Reads every "*.pub" file in `directory`. A missing directory or any malformed anchor
    /// file is an error (fail closed: a damaged anchor must be noticed, not skipped).
    static Result<TrustAnchors> loadDirectory(const std::string& directory);
    static TrustAnchors fromKeys(std::vector<TrustAnchor> anchors, std::string directory = {});

    const TrustAnchor* findByKeyId(const std::string& keyId) const;
    const std::vector<TrustAnchor>& all() const { return m_anchors; }
    const std::string& directory() const { return m_directory; }

private:
    std::vector<TrustAnchor> m_anchors;
    std::string m_directory;
};

} // namespace conclave::policy
