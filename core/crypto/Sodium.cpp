// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace conclave::crypto {

void ensureSodium()
{
    static const bool ready = [] {
        if (sodium_init() < 0) {
            std::fputs("conclave: libsodium failed to initialise; refusing to run without it\n",
                       stderr);
            std::abort();
        }
        return true;
    }();
    (void)ready;
}

} // namespace conclave::crypto
