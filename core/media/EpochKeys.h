// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/MediaKeyId.h"
#include "crypto/SframeCipherSuite.h"
#include "media/StreamKind.h"

#include <QByteArray>

#include <cstdint>
#include <map>

namespace conclave::media {

/// Everything the media layer needs from one epoch of the meeting key schedule: who is in
/// the meeting (by roster index) and, per member, the key of each stream it may send. A
/// stream without a key here (a screen share the chair has not allowed, an observer's camera)
/// is one nobody decrypts.
struct EpochKeys {
    uint64_t epoch = 0;
    crypto::CipherSuite suite = crypto::CipherSuite::ChaCha20Poly1305Sha256;
    uint32_t ownIndex = 0;
    std::map<uint32_t, std::map<StreamKind, crypto::MediaKey>> members;
    /// Every member's 32-byte identity key by roster index (own included): what an SFU
    /// transport names streams by (janus::feedIdFor). Never a key to anything.
    std::map<uint32_t, QByteArray> identities;
};

} // namespace conclave::media
