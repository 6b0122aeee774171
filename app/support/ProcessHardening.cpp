// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessHardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace conclave::app {

Result<void> hardenProcess()
{
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return makeError("app.hardening",
                         std::string("the program could not switch off core dumps (") +
                             std::strerror(errno) +
                             "), so it does not start: a crash could write its keys to disk. "
                             "Ask the system administrator to allow a core file size limit "
                             "of 0.");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return makeError("app.hardening",
                         std::string("the program could not make itself non-dumpable (") +
                             std::strerror(errno) +
                             "), so it does not start: other programs of this user could read "
                             "its keys. Ask the system administrator to check the kernel's "
                             "process settings (prctl PR_SET_DUMPABLE).");
    return {};
}

} // namespace conclave::app
