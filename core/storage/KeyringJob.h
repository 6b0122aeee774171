// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/SecureBuffer.h"

#include <QByteArray>
#include <qt6keychain/keychain.h>

#include <chrono>
#include <string>

namespace conclave::storage {

/// Runs one QtKeychain job to its end (or the timeout) in a local event loop, for the keyring
/// users that need a synchronous answer (KeyringProtector at start-up, KeyringSealCounter).
/// Only built with QtKeychain.
class KeyringJob {
public:
    struct Outcome {
        bool finished = false;
        QKeychain::Error error = QKeychain::NoError;
        std::string errorText;
        crypto::SecureBuffer data; // read jobs only
    };

    /// Takes ownership of `job`. On timeout the job is left to finish and delete itself:
    /// deleting a job the secret service is still answering would crash later.
    static Outcome run(QKeychain::Job* job, std::chrono::milliseconds timeout, bool readsData);
    /// Wipes the bytes a QByteArray shares with QtKeychain's copy.
    static void wipe(const QByteArray& bytes);
    /// "no answer within N ms" or the keyring's own words.
    static std::string describe(const Outcome& outcome, std::chrono::milliseconds timeout);
};

} // namespace conclave::storage
