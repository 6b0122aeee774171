// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

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

/// The exit code for a run that stops on `error`, from its category (docs/cli.md): invalid
/// input 2, policy refusal 3, connection or identity 4, denied or removed 5. An error its
/// producer did not classify exits with `unclassified`: the caller knows what an unexpected
/// failure at that point is (setting up a meeting: invalid input; the hub: connection).
inline int exitCodeFor(const Error& error, ExitCode unclassified = kExitFailed)
{
    switch (error.category) {
    case ErrorCategory::InvalidInput:
        return kExitInvalidInput;
    case ErrorCategory::PolicyRefusal:
        return kExitRefusedByPolicy;
    case ErrorCategory::ConnectionOrIdentity:
        return kExitConnectionOrIdentity;
    case ErrorCategory::DeniedOrRemoved:
        return kExitDeniedOrRemoved;
    case ErrorCategory::Unspecified:
        break;
    }
    return unclassified;
}

/// The "event" of the failure line for `error` (docs/cli.md): "refused" for a policy
/// refusal, "error" for everything else.
inline const char* failureEventFor(const Error& error)
{
    return error.isPolicyRefusal() ? "refused" : "error";
}

} // namespace conclave::app
