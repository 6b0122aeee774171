// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Several members' media meshes in one process, signalling wired straight between them (what
// the hub does between processes), keys from a test epoch secret. Test code only.

#include "crypto/SecureBuffer.h"
#include "media/MediaMesh.h"

#include <map>
#include <memory>
#include <set>

namespace conclave::testsupport {

class MeshKit {
public:
    explicit MeshKit(media::MediaOptions options);

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
    uint64_t failures(uint32_t receiver, uint32_t sender, media::StreamKind kind);

private:
    media::EpochKeys keysFor(uint32_t own, const std::set<uint32_t>& members,
                             const std::set<uint32_t>& screenAllowed, bool selfGranted,
                             const crypto::SecureBuffer& secret) const;

    media::MediaOptions m_options;
    std::map<uint32_t, std::unique_ptr<media::MediaMesh>> m_meshes;
    uint64_t m_epoch = 0;
};

} // namespace conclave::testsupport
