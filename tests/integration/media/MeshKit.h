// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Several members' media meshes in one process, signalling wired straight between them (what
// the hub does between processes), keys from a test epoch secret. Test code only.

#include "crypto/SecureBuffer.h"
#include "media/MediaMesh.h"

#include <list>
#include <map>
#include <memory>
#include <set>

namespace conclave::testsupport {

class MeshKit {
public:
    explicit MeshKit(media::MediaOptions options);
    ~MeshKit();

    /// Adds a member with roster index `index` (its mesh starts, sending nothing yet).
    media::MediaMesh& add(uint32_t index);
    /// The same with other options for this member (e.g. devices instead of test sources).
    media::MediaMesh& add(uint32_t index, const media::MediaOptions& options);
    media::MediaMesh& mesh(uint32_t index) { return *m_meshes.at(index); }

    /// A new epoch with `members` in it (a fresh secret); every listed member applies it.
    /// `screenAllowed` decides whose screen key everyone gets; `wrongSecretFor` hands one
    /// member another secret; `selfGrantedScreen` members (modified clients) derive their own
    /// screen key although nobody else does.
    void epoch(const std::set<uint32_t>& members, const std::set<uint32_t>& screenAllowed = {},
               std::optional<uint32_t> wrongSecretFor = std::nullopt,
               const std::set<uint32_t>& selfGrantedScreen = {});
    /// Runs the event loop for `ms` milliseconds.
    static void run(int ms);
    /// Frames decoded by `receiver` from `sender`'s stream `kind` (0 if none).
    uint64_t decoded(uint32_t receiver, uint32_t sender, media::StreamKind kind);
    /// Frames `sender`'s encryptor protected on `kind`: sent once, whatever the links (0 if none).
    uint64_t sent(uint32_t sender, media::StreamKind kind);
    uint64_t failures(uint32_t receiver, uint32_t sender, media::StreamKind kind);
    /// Frames `receiver` dropped from `sender`'s stream for want of a key (unknown KID).
    uint64_t unknownKey(uint32_t receiver, uint32_t sender, media::StreamKind kind);
    /// What a removed member can do with the secret of an epoch it was in: from now on every
    /// frame `sender` sends on `kind` leaves re-protected under `sender`'s key of the past
    /// epoch `asEpoch` (with counters far above any used then, so no replay window stops
    /// them), to every receiver. Frames not under the current epoch's key are dropped.
    void forgeUnderEpoch(uint32_t sender, media::StreamKind kind, uint64_t asEpoch);
    /// Frames forged so far by forgeUnderEpoch for (sender, kind).
    uint64_t forged(uint32_t sender, media::StreamKind kind) const;
    uint64_t currentEpoch() const { return m_epoch; }

private:
    struct Forgery;
    media::EpochKeys keysFor(uint32_t own, const std::set<uint32_t>& members,
                             const std::set<uint32_t>& screenAllowed, bool selfGranted,
                             const crypto::SecureBuffer& secret) const;

    media::MediaOptions m_options;
    /// Before m_meshes: the pipelines (whose probes use these) go first.
    std::list<std::unique_ptr<Forgery>> m_forgeries;
    std::map<uint32_t, std::unique_ptr<media::MediaMesh>> m_meshes;
    uint64_t m_epoch = 0;
    std::map<uint64_t, crypto::SecureBuffer> m_secrets; ///< by epoch
};

} // namespace conclave::testsupport
