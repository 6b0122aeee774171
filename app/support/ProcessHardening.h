// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

namespace conclave::app {

/// Keeps this process's memory (identity keys, epoch secrets, media keys) from being written
/// out or read by others: no core dump (RLIMIT_CORE 0, soft and hard, so nothing in the
/// process can raise it again) and not dumpable (PR_SET_DUMPABLE 0: no core even if a limit
/// were raised, and only root may ptrace it or read its /proc files such as mem and environ).
/// Every program calls this first thing in main(). Sanitizer builds need no exception:
/// LeakSanitizer makes the process dumpable for the moment it inspects its own threads.
/// Fails (app.hardening) only if the kernel refuses, and the program then does not start.
Result<void> hardenProcess();

} // namespace conclave::app
