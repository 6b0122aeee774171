// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "hub/JanusInstanceConfig.h"

#include <QString>

#include <vector>

namespace conclave::hub {

/// The hub's list of Janus instances for a `hub+janus` backend (conclave-hub --janus FILE,
/// docs/operations.md "Janus instances"):
///
///     {"instances": [{"url": "wss://sfu1.example:8989/",
///                     "spki_sha256": "BASE64",
///                     "admin_key_file": "/etc/conclave/janus/sfu1.admin-key",
///                     "api_secret_file": "/etc/conclave/janus/sfu1.api-secret"}]}
///
/// The credentials are in files of their own that only the hub's user may read (a file
/// others can read is refused: an admin key lets anyone make rooms on the instance); relative
/// paths are relative to the list's folder. `api_secret_file` is optional.
class JanusInstancesFile {
public:
    static Result<std::vector<JanusInstanceConfig>> read(const QString& path);
};

} // namespace conclave::hub
