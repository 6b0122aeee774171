// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace conclave::app {

/// Exit codes shared by every headless program (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1, ///< ran, but did not get where it should (e.g. the headless demo)
    kExitInvalidInput = 2,
    kExitRefusedByPolicy = 3,
    kExitConnectionOrIdentity = 4,
    kExitDeniedOrRemoved = 5,
};

} // namespace conclave::app
